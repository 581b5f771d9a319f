import { Foundation1763800000000 } from './1763800000000-Foundation';
import { Catalog1763900000000 } from './1763900000000-Catalog';
import { Scorm1764000000000 } from './1764000000000-Scorm';
import { Assessment1764100000000 } from './1764100000000-Assessment';
import { AttemptLearnerData1764150000000 } from './1764150000000-AttemptLearnerData';
import { ProgressFunctions1764200000000 } from './1764200000000-ProgressFunctions';
import { Outbox1764300000000 } from './1764300000000-Outbox';
import { OutboxCleanup1764301000000 } from './1764301000000-OutboxCleanup';
import { Certification1764310000000 } from './1764310000000-Certification';
import { OrganizationSigningKey1764320000000 } from './1764320000000-OrganizationSigningKey';
import { Notification1764330000000 } from './1764330000000-Notification';
import { ScormSessionTime1764360000000 } from './1764360000000-ScormSessionTime';
import { ScormSequencing1764410000000 } from './1764410000000-ScormSequencing';
import { ReportExport1764420000000 } from './1764420000000-ReportExport';
import { ReportIndexes1764421000000 } from './1764421000000-ReportIndexes';
import { AssignmentRule1764450000000 } from './1764450000000-AssignmentRule';
import { ProgressRollupLock1764470000000 } from './1764470000000-ProgressRollupLock';
import { Lti1764480000000 } from './1764480000000-Lti';
import { LtiServices1764500000000 } from './1764500000000-LtiServices';
import { ScormCommitLean1764510000000 } from './1764510000000-ScormCommitLean';

/** Every migration, in order. A new migration is added here after it is generated. */
export const migrations: Function[] = [
  Foundation1763800000000,
  Catalog1763900000000,
  Scorm1764000000000,
  Assessment1764100000000,
  AttemptLearnerData1764150000000,
  ProgressFunctions1764200000000,
  Outbox1764300000000,
  OutboxCleanup1764301000000,
  Certification1764310000000,
  OrganizationSigningKey1764320000000,
  Notification1764330000000,
  ScormSessionTime1764360000000,
  ScormSequencing1764410000000,
  ReportExport1764420000000,
  ReportIndexes1764421000000,
  AssignmentRule1764450000000,
  ProgressRollupLock1764470000000,
  Lti1764480000000,
  LtiServices1764500000000,
  ScormCommitLean1764510000000,
];
