import { grantedRole, isInstructor, isLearner, requestedRole, rolesAfterLaunch } from '../../../src/modules/lti/lti.claims';
import { Role } from '../../../src/shared/permissions';

const LIS = 'http://purl.imsglobal.org/vocab/lis/v2';

test('LTI roles map to Coursegraph roles: context, sub-role, institution and system roles, and the short names', () => {
  expect(requestedRole([`${LIS}/membership#Learner`])).toBe(Role.LEARNER);
  expect(requestedRole([`${LIS}/membership#Instructor`, `${LIS}/membership#Learner`])).toBe(Role.AUTHOR);
  expect(requestedRole([`${LIS}/membership/Instructor#TeachingAssistant`])).toBe(Role.AUTHOR);
  expect(requestedRole([`${LIS}/membership#ContentDeveloper`])).toBe(Role.AUTHOR);
  expect(requestedRole([`${LIS}/institution/person#Administrator`])).toBe(Role.ORG_ADMIN);
  expect(requestedRole([`${LIS}/system/person#Administrator`])).toBe(Role.ORG_ADMIN);
  expect(requestedRole(['Instructor'])).toBe(Role.AUTHOR);
  expect(requestedRole([`${LIS}/membership#Mentor`])).toBe(Role.LEARNER);
  expect(requestedRole([])).toBe(Role.LEARNER);
  expect([isInstructor([`${LIS}/membership#Learner`]), isInstructor([`${LIS}/membership#Instructor`])]).toEqual([false, true]);
  expect([isLearner([`${LIS}/membership#Instructor`]), isLearner([`${LIS}/membership#Instructor`, `${LIS}/membership#Learner`]), isLearner([])]).toEqual([false, true, true]);
});

test('never beyond the ceiling; a user above the ceiling is left as they are; others only gain', () => {
  expect(grantedRole([`${LIS}/institution/person#Administrator`], Role.AUTHOR)).toBe(Role.AUTHOR);
  expect(grantedRole([`${LIS}/membership#Instructor`], Role.LEARNER)).toBe(Role.LEARNER);
  expect(grantedRole([`${LIS}/membership#Instructor`], Role.ORG_ADMIN)).toBe(Role.AUTHOR);
  expect(rolesAfterLaunch([], Role.LEARNER, Role.AUTHOR)).toEqual([Role.LEARNER]);
  expect(rolesAfterLaunch([Role.LEARNER], Role.AUTHOR, Role.AUTHOR)).toEqual([Role.LEARNER, Role.AUTHOR]);
  expect(rolesAfterLaunch([Role.LEARNER, Role.AUTHOR], Role.LEARNER, Role.AUTHOR)).toEqual([Role.LEARNER, Role.AUTHOR]);
  expect(rolesAfterLaunch([Role.HR], Role.LEARNER, Role.AUTHOR)).toEqual([Role.HR]);
  expect(rolesAfterLaunch([Role.AUTHOR], Role.LEARNER, Role.LEARNER)).toEqual([Role.AUTHOR]);
  expect(rolesAfterLaunch([Role.ORG_ADMIN], Role.ORG_ADMIN, Role.ORG_ADMIN)).toEqual([Role.ORG_ADMIN]);
});
