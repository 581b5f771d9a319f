import { Field, InputType, ObjectType } from 'type-graphql';
import { UserError } from '../../shared/payload';
import { Organization } from './organization.entity';

@InputType()
export class OrganizationAdminInput {
  @Field()
  externalId: string;

  @Field()
  name: string;

  @Field(() => String, { nullable: true })
  email?: string | null;
}

@InputType()
export class CreateOrganizationInput {
  @Field({ description: 'Lower-case letters, digits and dashes, 2–40 characters.' })
  slug: string;

  @Field()
  name: string;

  @Field(() => String, { nullable: true })
  nameEn?: string | null;

  @Field()
  industry: string;

  @Field(() => String, { nullable: true, description: 'zh-CN (default) or en.' })
  defaultLocale?: string | null;

  @Field(() => OrganizationAdminInput, { nullable: true, description: 'First org admin, provisioned with the organization.' })
  admin?: OrganizationAdminInput | null;
}

@ObjectType()
export class CreateOrganizationPayload {
  @Field(() => Organization, { nullable: true })
  organization?: Organization;

  @Field(() => [UserError])
  errors: UserError[];
}
