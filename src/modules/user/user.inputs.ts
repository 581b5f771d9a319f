import { Field, InputType, ObjectType } from 'type-graphql';
import { Role } from '../../shared/permissions';
import { UserError } from '../../shared/payload';
import { AppUser, UserStatus } from './user.entity';

@InputType({ description: 'One user as the LMS knows them; keyed by externalId.' })
export class UserInput {
  @Field({ description: "The LMS's id for this person (unique in the organization)." })
  externalId: string;

  @Field(() => String, { nullable: true })
  employeeId?: string | null;

  @Field()
  name: string;

  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Org unit path, "/"-separated, e.g. 杭州/萧山分公司/营业厅.' })
  orgUnitPath?: string | null;

  @Field(() => String, { nullable: true })
  jobTitle?: string | null;

  @Field(() => String, { nullable: true, description: "Manager's externalId (in this batch or already provisioned)." })
  managerExternalId?: string | null;

  @Field(() => [Role], { nullable: true, description: 'Roles to hold; omitted keeps existing roles (LEARNER for new users).' })
  roles?: Role[] | null;

  @Field(() => UserStatus, { nullable: true })
  status?: UserStatus | null;
}

@InputType()
export class UpsertUsersInput {
  @Field(() => [UserInput], { description: 'At most 500 users per call.' })
  users: UserInput[];
}

@ObjectType()
export class UpsertUsersPayload {
  @Field(() => [AppUser], { nullable: true })
  users?: AppUser[];

  @Field(() => [UserError])
  errors: UserError[];
}

@InputType()
export class UserFilter {
  @Field(() => String, { nullable: true, description: 'Matches name, email, employee id or external id.' })
  search?: string;

  @Field(() => String, { nullable: true, description: 'Users in this org unit or below it.' })
  orgUnitPath?: string;

  @Field(() => Role, { nullable: true })
  role?: Role;

  @Field(() => String, { nullable: true })
  jobTitle?: string;

  @Field(() => UserStatus, { nullable: true })
  status?: UserStatus;
}
