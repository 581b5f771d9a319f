import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { UserError } from '../../shared/payload';
import { Activity, ActivityKind, CompletionKind, CourseModule } from './content.entity';
import { TranslationsInput } from './localized';

@ObjectType({ description: 'When an activity counts as done.', simpleResolvers: true })
export class CompletionRule {
  @Field(() => CompletionKind)
  kind: CompletionKind;

  @Field(() => Float, { nullable: true, description: 'For PROGRESS and SCORE: the minimum, 0..1.' })
  threshold: number | null;
}

@ObjectType({ description: 'Sanitized rich text of a PAGE activity.', simpleResolvers: true })
export class PageContent {
  @Field()
  html: string;
}

@ObjectType({ description: 'A VIDEO activity.', simpleResolvers: true })
export class VideoContent {
  @Field()
  url: string;

  @Field(() => Int, { nullable: true })
  durationSeconds: number | null;
}

@InputType()
export class CompletionRuleInput {
  @Field(() => CompletionKind)
  kind: CompletionKind;

  @Field(() => Float, { nullable: true, description: 'Required for PROGRESS and SCORE, 0 < threshold ≤ 1.' })
  threshold?: number | null;
}

@InputType()
export class PageContentInput {
  @Field({ description: 'HTML; sanitized on the server (scripts, event handlers and unsafe URLs are removed).' })
  html: string;
}

@InputType()
export class VideoContentInput {
  @Field({ description: 'An https URL.' })
  url: string;

  @Field(() => Int, { nullable: true })
  durationSeconds?: number | null;
}

@InputType({ description: "Adds a module to the course's draft revision." })
export class CreateModuleInput {
  @Field(() => ID)
  courseId: string;

  @Field(() => TranslationsInput)
  title: TranslationsInput;

  @Field(() => TranslationsInput, { nullable: true })
  description?: TranslationsInput | null;

  @Field(() => Int, { nullable: true, description: '1-based; default: at the end.' })
  position?: number | null;
}

@InputType()
export class UpdateModuleInput {
  @Field(() => ID)
  id: string;

  @Field(() => TranslationsInput, { nullable: true })
  title?: TranslationsInput | null;

  @Field(() => TranslationsInput, { nullable: true })
  description?: TranslationsInput | null;
}

@InputType({ description: 'Names a module or an activity to delete.' })
export class DeleteContentInput {
  @Field(() => ID)
  id: string;
}

@InputType()
export class ReorderModulesInput {
  @Field(() => ID)
  courseId: string;

  @Field(() => [ID], { description: "Every module of the draft revision, in the new order." })
  moduleIds: string[];
}

/** What every activity-shaped input may carry besides its title and place (create, update, templates). */
@InputType({ description: 'Rule and content of an activity (not an input of its own).' })
export class ActivityDetailsInput {
  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  required?: boolean | null;

  @Field(() => CompletionRuleInput, { nullable: true, description: 'Default: VIEWED (PAGE, SCORM), PROGRESS 0.9 (VIDEO), PASSED (ASSESSMENT).' })
  completion?: CompletionRuleInput | null;

  @Field(() => PageContentInput, { nullable: true, description: 'Required for PAGE.' })
  page?: PageContentInput | null;

  @Field(() => VideoContentInput, { nullable: true, description: 'Required for VIDEO.' })
  video?: VideoContentInput | null;
}

@InputType({ description: 'Adds an activity to a module of a draft revision.' })
export class CreateActivityInput extends ActivityDetailsInput {
  @Field(() => ID)
  moduleId: string;

  @Field(() => ActivityKind)
  kind: ActivityKind;

  @Field(() => TranslationsInput)
  title: TranslationsInput;

  @Field(() => Int, { nullable: true, description: '1-based; default: at the end.' })
  position?: number | null;
}

@InputType()
export class UpdateActivityInput extends ActivityDetailsInput {
  @Field(() => ID)
  id: string;

  @Field(() => TranslationsInput, { nullable: true })
  title?: TranslationsInput | null;

  @Field(() => ID, { nullable: true, description: 'Moves the activity to the end of another module of the same revision.' })
  moduleId?: string | null;
}

@InputType()
export class ReorderActivitiesInput {
  @Field(() => ID)
  moduleId: string;

  @Field(() => [ID], { description: 'Every activity of the module, in the new order.' })
  activityIds: string[];
}

@ObjectType()
export class ModulePayload {
  @Field(() => CourseModule, { nullable: true })
  module?: CourseModule;

  @Field(() => [UserError])
  errors: UserError[];
}

@ObjectType()
export class ActivityPayload {
  @Field(() => Activity, { nullable: true })
  activity?: Activity;

  @Field(() => [UserError])
  errors: UserError[];
}

@ObjectType()
export class DeleteContentPayload {
  @Field(() => ID, { nullable: true, description: 'The global id of what was deleted.' })
  deletedId?: string;

  @Field(() => [UserError])
  errors: UserError[];
}
