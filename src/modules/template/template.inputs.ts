import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { UserError } from '../../shared/payload';
import { ActivityKind } from '../course/content.entity';
import { ActivityDetailsInput } from '../course/content.inputs';
import { CourseDetailsInput } from '../course/course.inputs';
import { TranslationsInput } from '../course/localized';
import { CourseTemplate } from './template.entity';

@InputType({ description: 'An activity of a template version.' })
export class TemplateActivityInput extends ActivityDetailsInput {
  @Field(() => ID, { nullable: true, description: "The activity's stable key (a UUID) from an earlier version, so progress follows it; new when omitted." })
  key?: string | null;

  @Field(() => ActivityKind)
  kind: ActivityKind;

  @Field(() => TranslationsInput)
  title: TranslationsInput;

  @Field(() => GraphQLJSON, { nullable: true, description: 'ASSESSMENT: the assessment document, as setAssessment takes it.' })
  assessment?: unknown;
}

@InputType({ description: 'A module of a template version.' })
export class TemplateModuleInput {
  @Field(() => ID, { nullable: true, description: 'Stable key (a UUID) from an earlier version; new when omitted.' })
  key?: string | null;

  @Field(() => TranslationsInput)
  title: TranslationsInput;

  @Field(() => TranslationsInput, { nullable: true })
  description?: TranslationsInput | null;

  @Field(() => [TemplateActivityInput])
  activities: TemplateActivityInput[];
}

@InputType({ description: 'A new version of a template (a new template when the code is new).' })
export class PublishCourseTemplateInput extends CourseDetailsInput {
  @Field()
  code: string;

  @Field(() => TranslationsInput)
  title: TranslationsInput;

  @Field(() => [TemplateModuleInput])
  modules: TemplateModuleInput[];
}

@ObjectType()
export class CourseTemplatePayload {
  @Field(() => CourseTemplate, { nullable: true })
  template?: CourseTemplate;

  @Field(() => [UserError])
  errors: UserError[];
}

@InputType({ description: "Adopts a template as the organization's own (draft) course." })
export class AdoptCourseTemplateInput {
  @Field(() => ID)
  templateId: string;

  @Field(() => Int, { nullable: true, description: 'Default: the latest version.' })
  version?: number | null;

  @Field(() => String, { nullable: true, description: "The course's code; default: the template's." })
  code?: string | null;
}

@InputType({ description: "Pulls a newer template version into the course's draft revision." })
export class PullCourseTemplateVersionInput {
  @Field(() => ID)
  courseId: string;

  @Field(() => Int, { nullable: true, description: 'Default: the latest version.' })
  version?: number | null;
}
