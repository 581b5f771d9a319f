import type { DemoCourse } from './types';
import { ECOMMERCE_COURSE } from './ecommerce';
import { ETIQUETTE_COURSE } from './etiquette';
import { TELECOM_COURSE } from './telecom';
import { TOBACCO_COURSE } from './tobacco';

export { ETIQUETTE_COURSE };
export type { DemoCourse };

/** Assigns the tenant's own course or the adopted etiquette course to a group, due in `dueInDays` (negative: overdue). */
export interface DemoAssignment {
  course: 'own' | 'etiquette';
  orgUnitPath?: string;
  jobTitle?: string;
  dueInDays: number;
}

/** A tenant's catalog: its own course, who is assigned what, and who has started (people keys, see people.ts). */
export interface DemoCatalogPlan {
  own: DemoCourse;
  assignments: DemoAssignment[];
  started: { person: string; course: 'own' | 'etiquette'; pages: number }[];
}

/** Per organization slug. */
export const DEMO_CATALOG: Record<string, DemoCatalogPlan> = {
  'unicom-xiaoshan': {
    own: TELECOM_COURSE,
    assignments: [
      { course: 'own', orgUnitPath: '杭州/萧山分公司/营业厅', dueInDays: 30 },
      { course: 'own', orgUnitPath: '杭州/萧山分公司/客服热线', dueInDays: 45 },
      { course: 'etiquette', orgUnitPath: '杭州/萧山分公司/营业厅', dueInDays: -7 },
      { course: 'etiquette', jobTitle: '话务员', dueInDays: 14 },
    ],
    started: [{ person: 'learner', course: 'own', pages: 4 }, { person: 'learner', course: 'etiquette', pages: 2 }, { person: 'learner-3', course: 'own', pages: 1 }],
  },
  'tobacco-retail': {
    own: TOBACCO_COURSE,
    assignments: [
      { course: 'own', jobTitle: '客户经理', dueInDays: 30 },
      { course: 'etiquette', orgUnitPath: '营销中心/乡镇客户服务部', dueInDays: -5 },
      { course: 'etiquette', orgUnitPath: '营销中心/城区客户服务部', dueInDays: 21 },
    ],
    started: [{ person: 'learner', course: 'own', pages: 3 }, { person: 'learner-3', course: 'etiquette', pages: 1 }],
  },
  'laoa-ecommerce': {
    own: ECOMMERCE_COURSE,
    assignments: [
      { course: 'own', orgUnitPath: '客服部/售前组', dueInDays: 14 },
      { course: 'own', orgUnitPath: '客服部/售后组', dueInDays: -2 },
      { course: 'etiquette', jobTitle: '在线客服', dueInDays: -3 },
      { course: 'etiquette', jobTitle: '售后客服', dueInDays: 10 },
    ],
    started: [{ person: 'learner', course: 'own', pages: 5 }, { person: 'learner-2', course: 'etiquette', pages: 3 }],
  },
};
