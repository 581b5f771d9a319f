import { Organization, PlatformAdmin } from './modules/organization/organization.entity';
import { AppUser } from './modules/user/user.entity';
import { ApiKey } from './modules/api-key/api-key.entity';
import { AuditEvent } from './modules/audit/audit.entity';
import { Course, CourseRevision } from './modules/course/course.entity';
import { Activity, CourseModule } from './modules/course/content.entity';
import { CourseTemplate, CourseTemplateVersion } from './modules/template/template.entity';
import { Enrollment } from './modules/enrollment/enrollment.entity';
import { AssignmentRule } from './modules/enrollment/assignment-rule.entity';
import { ActivityAttempt, ActivityProgress } from './modules/progress/progress.entity';
import { ScormPackage } from './modules/scorm/scorm-package.entity';
import { ScormSession } from './modules/scorm/scorm-session.entity';
import { AssessmentAttempt } from './modules/assessment/assessment-attempt.entity';
import { OutboxDelivery, OutboxEvent } from './jobs/outbox.entity';
import { OrganizationSigningKey } from './modules/certificate/open-badge/signing-key.entity';
import { Notification } from './modules/notification/notification.entity';
import { Certificate, CertificateCounter } from './modules/certificate/certificate.entity';
import { ReportExport } from './modules/report/report-export.entity';
import { LtiLoginState, LtiPlatform, LtiRegistrationToken, LtiToolKey, LtiUserLink } from './modules/lti/lti.entity';

/** Every entity the DataSource maps; a module adds its entities here. */
export const entities = [
  Organization, PlatformAdmin, AppUser, ApiKey, AuditEvent,
  CourseTemplate, CourseTemplateVersion, Course, CourseRevision, CourseModule, Activity, Enrollment, ActivityAttempt, ActivityProgress,
  ScormPackage, ScormSession, AssessmentAttempt, OutboxEvent, OutboxDelivery, OrganizationSigningKey,
  Notification, Certificate, CertificateCounter, AssignmentRule, ReportExport,
  LtiPlatform, LtiToolKey, LtiUserLink, LtiLoginState, LtiRegistrationToken,
];
