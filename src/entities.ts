import { Organization, PlatformAdmin } from './modules/organization/organization.entity';
import { AppUser } from './modules/user/user.entity';
import { ApiKey } from './modules/api-key/api-key.entity';
import { AuditEvent } from './modules/audit/audit.entity';

/** Every entity the DataSource maps; a module adds its entities here. */
export const entities = [Organization, PlatformAdmin, AppUser, ApiKey, AuditEvent];
