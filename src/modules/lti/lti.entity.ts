import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { TenantEntity } from '../../shared/tenant-entity';
import { Node } from '../../shared/node';
import { Role } from '../../shared/permissions';
import { AppUser } from '../user/user.entity';

export enum LtiRegistrationMethod {
  MANUAL = 'MANUAL',
  DYNAMIC = 'DYNAMIC',
}
registerEnumType(LtiRegistrationMethod, { name: 'LtiRegistrationMethod', description: 'MANUAL: entered over GraphQL; DYNAMIC: by LTI Dynamic Registration.' });

/**
 * An LMS (LTI 1.3 platform) registered with the organization. The pair (issuer, client id) names
 * one active registration across the whole service: a launch finds its organization by it.
 */
@ObjectType('LtiPlatform', { implements: Node, description: 'An LMS registered to launch this organization\'s courses over LTI 1.3.' })
@Entity('lti_platform')
@Index('uq_lti_platform_client', ['issuer', 'clientId'], { unique: true, where: 'active' })
@Index('ix_lti_platform_org_client', ['organizationId', 'issuer', 'clientId'])
export class LtiPlatform extends TenantEntity {
  @Field()
  @Column('text')
  name: string;

  @Field({ description: 'The platform\'s issuer (`iss` of its id tokens), e.g. https://moodle.example.com.' })
  @Column('text')
  issuer: string;

  @Field({ description: 'The client id the platform gave Coursegraph (`aud` of its id tokens).' })
  @Column('text')
  clientId: string;

  @Field(() => [String], { description: 'Deployment ids launches may carry (strings such as "1").' })
  @Column('text', { array: true, default: () => `'{}'` })
  deploymentIds: string[];

  @Field({ description: 'OIDC authorization endpoint of the platform (where the login initiation redirects).' })
  @Column('text')
  authUrl: string;

  @Field({ description: 'OAuth 2 access-token endpoint of the platform (AGS, NRPS).' })
  @Column('text')
  tokenUrl: string;

  @Field({ description: 'JWKS URL of the platform\'s signing keys.' })
  @Column('text')
  jwksUrl: string;

  @Field(() => Role, { description: 'The highest Coursegraph role a launch from this platform may grant.' })
  @Column('text')
  maxRole: Role;

  @Field(() => LtiRegistrationMethod)
  @Column('text', { default: LtiRegistrationMethod.MANUAL })
  registeredVia: LtiRegistrationMethod;

  @Field({ description: 'False once deactivated: its launches are refused.' })
  @Column('boolean', { default: true })
  active: boolean;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * The tool's RS256 key pairs of an organization. The one with no retiredAt signs; retired keys stay
 * in the JWKS for an overlap period (tokens they signed may still be in flight), then are dropped.
 */
@Entity('lti_tool_key')
@Index('uq_lti_tool_key_current', ['organizationId'], { unique: true, where: 'retired_at IS NULL' })
export class LtiToolKey extends TenantEntity {
  /** The public JWK (kid = id, alg RS256, use sig). */
  @Column('jsonb')
  publicJwk: Record<string, unknown>;

  /** The PKCS#8 PEM private key, sealed with the server secret (key-sealing.ts). */
  @Column('text')
  sealedPrivateKey: string;

  @Column('timestamptz', { nullable: true })
  retiredAt: Date | null;
}

/** A platform user (issuer, sub) and the Coursegraph user they launch as. */
@Entity('lti_user_link')
@Index('uq_lti_user_link_sub', ['organizationId', 'issuer', 'sub'], { unique: true })
@Index('ix_lti_user_link_user', ['organizationId', 'userId'])
export class LtiUserLink extends TenantEntity {
  @Column('uuid')
  platformId: string;

  @ManyToOne(() => LtiPlatform, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'platform_id', referencedColumnName: 'id' },
  ])
  platform?: LtiPlatform;

  @Column('text')
  issuer: string;

  @Column('text')
  sub: string;

  @Column('uuid')
  userId: string;

  @ManyToOne(() => AppUser, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'user_id', referencedColumnName: 'id' },
  ])
  user?: AppUser;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** One OIDC login in flight: its state (hashed) and nonce, single use, short-lived. */
@Entity('lti_login_state')
@Index('uq_lti_login_state', ['organizationId', 'stateHash'], { unique: true })
@Index('uq_lti_login_nonce', ['organizationId', 'nonce'], { unique: true })
@Index('ix_lti_login_state_expires', ['organizationId', 'expiresAt'])
export class LtiLoginState extends TenantEntity {
  @Column('uuid')
  platformId: string;

  @ManyToOne(() => LtiPlatform, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'platform_id', referencedColumnName: 'id' },
  ])
  platform?: LtiPlatform;

  @Column('text')
  stateHash: string;

  @Column('text')
  nonce: string;

  @Column('text')
  targetLinkUri: string;

  /** The platform's client-side storage frame the login used (lti_storage_target), for a launch that comes back without it. */
  @Column('text', { nullable: true })
  storageTarget: string | null;

  @Column('timestamptz')
  expiresAt: Date;

  @Column('timestamptz', { nullable: true })
  usedAt: Date | null;
}

/** A one-time link an org admin minted for LTI Dynamic Registration (only its hash is kept). */
@Entity('lti_registration_token')
@Index('uq_lti_registration_token', ['organizationId', 'tokenHash'], { unique: true })
export class LtiRegistrationToken extends TenantEntity {
  @Column('text')
  tokenHash: string;

  @Column('text')
  maxRole: Role;

  @Column('text')
  createdBy: string;

  @Column('timestamptz')
  expiresAt: Date;

  @Column('timestamptz', { nullable: true })
  usedAt: Date | null;
}
