import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Role } from '../../shared/permissions';
import { UserError } from '../../shared/payload';
import { LtiPlatform } from './lti.entity';

@InputType({ description: 'An LMS to register as an LTI 1.3 platform of your organization.' })
export class RegisterLtiPlatformInput {
  @Field({ description: 'A name admins recognize, e.g. "Moodle (校园网)".' })
  name: string;

  @Field({ description: 'The platform\'s issuer, e.g. https://moodle.example.com (Moodle: its wwwroot).' })
  issuer: string;

  @Field({ description: 'The client id the platform generated for Coursegraph.' })
  clientId: string;

  @Field(() => [String], { description: 'Deployment ids, strings such as "1".' })
  deploymentIds: string[];

  @Field({ description: 'OIDC authorization endpoint (Moodle: <wwwroot>/mod/lti/auth.php).' })
  authUrl: string;

  @Field({ description: 'Access-token endpoint (Moodle: <wwwroot>/mod/lti/token.php).' })
  tokenUrl: string;

  @Field({ description: 'Public keyset URL (Moodle: <wwwroot>/mod/lti/certs.php).' })
  jwksUrl: string;

  @Field(() => Role, { description: 'The highest role a launch may grant: LEARNER, AUTHOR or ORG_ADMIN.' })
  maxRole: Role;
}

@InputType({ description: 'Changes to a registered platform; omitted fields stay as they are.' })
export class UpdateLtiPlatformInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  issuer?: string | null;

  @Field(() => String, { nullable: true })
  clientId?: string | null;

  @Field(() => [String], { nullable: true })
  deploymentIds?: string[] | null;

  @Field(() => String, { nullable: true })
  authUrl?: string | null;

  @Field(() => String, { nullable: true })
  tokenUrl?: string | null;

  @Field(() => String, { nullable: true })
  jwksUrl?: string | null;

  @Field(() => Role, { nullable: true })
  maxRole?: Role | null;

  @Field(() => Boolean, { nullable: true, description: 'true reactivates a deactivated registration.' })
  active?: boolean | null;
}

@InputType()
export class DeactivateLtiPlatformInput {
  @Field(() => ID)
  id: string;
}

@ObjectType()
export class LtiPlatformPayload {
  @Field(() => LtiPlatform, { nullable: true })
  platform?: LtiPlatform;

  @Field(() => [UserError])
  errors: UserError[];
}

@InputType({ description: 'A one-time LTI Dynamic Registration link.' })
export class CreateLtiRegistrationLinkInput {
  @Field(() => Role, { description: 'The highest role launches from the platform registered through the link may grant.' })
  maxRole: Role;

  @Field(() => Int, { nullable: true, description: 'Hours the link stays valid (1 to 168, default 24).' })
  validHours?: number | null;
}

@ObjectType()
export class LtiRegistrationLinkPayload {
  @Field(() => String, { nullable: true, description: 'Paste into the LMS\'s "Tool URL" for dynamic registration. Shown only in this response; it works once.' })
  url?: string;

  @Field(() => Date, { nullable: true })
  expiresAt?: Date;

  @Field(() => [UserError])
  errors: UserError[];
}

@ObjectType()
export class RotateLtiToolKeyPayload {
  @Field(() => String, { nullable: true, description: 'The kid of the new signing key; the previous key stays in the JWKS for an hour.' })
  kid?: string;

  @Field(() => [UserError])
  errors: UserError[];
}

@ObjectType({ description: 'The URLs an LMS administrator enters to add Coursegraph as an LTI 1.3 tool.' })
export class LtiToolConfiguration {
  @Field({ description: 'OIDC login initiation URL (GET or POST).' })
  loginUrl: string;

  @Field({ description: 'Launch / redirect URL (also the deep-linking URL).' })
  launchUrl: string;

  @Field({ description: 'Deep-linking request URL (the same as the launch URL).' })
  deepLinkingUrl: string;

  @Field({ description: 'Public keyset of the tool (JWKS).' })
  jwksUrl: string;

  @Field({ description: 'Dynamic registration URL, without its one-time token (mint one with createLtiRegistrationLink).' })
  dynamicRegistrationUrl: string;
}
