import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { UserError } from '../../shared/payload';
import { Course, CourseStatus } from './course.entity';
import { TranslationsInput } from './localized';

/** Catalog details every course-shaped input shares (create, update, template versions). */
@InputType({ description: 'Catalog details of a course (not an input of its own).' })
export class CourseDetailsInput {
  @Field(() => TranslationsInput, { nullable: true })
  description?: TranslationsInput | null;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;

  @Field(() => Int, { nullable: true })
  estimatedMinutes?: number | null;

  @Field(() => String, { nullable: true, description: 'An https URL.' })
  coverUrl?: string | null;
}

@InputType({ description: "A course's catalog data; content (modules, activities) is added to its draft revision." })
export class CreateCourseInput extends CourseDetailsInput {
  @Field({ description: 'Letters, digits, ".", "_" and "-"; unique in the organization.' })
  code: string;

  @Field(() => TranslationsInput)
  title: TranslationsInput;

  @Field(() => Boolean, { nullable: true, description: 'Default false.' })
  selfEnrollment?: boolean | null;

  @Field(() => Int, { nullable: true })
  validityDays?: number | null;
}

@InputType({ description: 'Changes to catalog data; omitted fields stay as they are.' })
export class UpdateCourseInput extends CourseDetailsInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  code?: string | null;

  @Field(() => TranslationsInput, { nullable: true })
  title?: TranslationsInput | null;

  @Field(() => Boolean, { nullable: true })
  selfEnrollment?: boolean | null;

  @Field(() => Int, { nullable: true })
  validityDays?: number | null;
}

@InputType({ description: 'Names a course.' })
export class CourseIdInput {
  @Field(() => ID)
  id: string;
}

@ObjectType()
export class CoursePayload {
  @Field(() => Course, { nullable: true })
  course?: Course;

  @Field(() => [UserError])
  errors: UserError[];
}

@InputType()
export class CourseFilter {
  @Field(() => CourseStatus, { nullable: true, description: 'Authors only; learners always see published courses.' })
  status?: CourseStatus;

  @Field(() => String, { nullable: true })
  tag?: string;

  @Field(() => String, { nullable: true, description: 'Matches code, title and description in Chinese and English.' })
  search?: string;
}
