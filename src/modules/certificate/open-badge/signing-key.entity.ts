import { Column, Entity, Index } from 'typeorm';
import { TenantEntity } from '../../../shared/tenant-entity';

/**
 * An organization's Ed25519 key for signing Open Badges and its status list (Multikey encoding).
 * The secret key is sealed with a key derived from the server secret; it never leaves the service.
 */
@Entity('organization_signing_key')
@Index('uq_organization_signing_key_org', ['organizationId'], { unique: true })
export class OrganizationSigningKey extends TenantEntity {
  @Column('text')
  publicKeyMultibase: string;

  /** AES-256-GCM sealed `secretKeyMultibase` (see key-sealing.ts). */
  @Column('text')
  sealedSecretKey: string;
}
