import { Role } from '../shared/permissions';

/** A demo person: external id suffix, name, org unit, job title, roles, manager suffix. */
export interface DemoPerson {
  key: string;
  name: string;
  unit: string;
  jobTitle: string;
  roles: Role[];
  manager?: string;
}

export interface DemoOrganization {
  slug: string;
  name: string;
  nameEn: string;
  industry: string;
  people: DemoPerson[];
}

const L = [Role.LEARNER];

/** The three first tenants (from ../shared/seeds) and their people in every role. */
export const DEMO_ORGANIZATIONS: DemoOrganization[] = [
  {
    slug: 'unicom-xiaoshan',
    name: '中国联通杭州市萧山区分公司',
    nameEn: 'China Unicom Hangzhou Xiaoshan Branch',
    industry: '电信运营',
    people: [
      { key: 'admin', name: '房艳丽', unit: '杭州/萧山分公司', jobTitle: '客户服务部经理', roles: [Role.ORG_ADMIN, Role.LEARNER] },
      { key: 'author', name: '沈佳怡', unit: '杭州/萧山分公司/培训中心', jobTitle: '培训讲师', roles: [Role.AUTHOR, Role.LEARNER] },
      { key: 'hr', name: '陈晓燕', unit: '杭州/萧山分公司/人力资源部', jobTitle: 'HR专员', roles: [Role.HR, Role.LEARNER] },
      { key: 'manager', name: '王建国', unit: '杭州/萧山分公司/营业厅', jobTitle: '营业厅主任', roles: [Role.MANAGER, Role.LEARNER] },
      { key: 'learner', name: '李娜', unit: '杭州/萧山分公司/营业厅', jobTitle: '营业员', roles: L, manager: 'manager' },
      { key: 'learner-2', name: '张伟', unit: '杭州/萧山分公司/营业厅', jobTitle: '营业员', roles: L, manager: 'manager' },
      { key: 'learner-3', name: '刘洋', unit: '杭州/萧山分公司/客服热线', jobTitle: '话务员', roles: L },
      { key: 'learner-4', name: '赵敏', unit: '杭州/萧山分公司/客服热线', jobTitle: '话务员', roles: L },
    ],
  },
  {
    slug: 'tobacco-retail',
    name: '烟草商业公司卷烟零售客户服务中心',
    nameEn: 'Tobacco Commercial Co. Retail Customer Service',
    industry: '卷烟零售',
    people: [
      { key: 'admin', name: '周志强', unit: '营销中心', jobTitle: '营销中心主任', roles: [Role.ORG_ADMIN, Role.LEARNER] },
      { key: 'author', name: '吴丽华', unit: '营销中心/培训科', jobTitle: '培训专员', roles: [Role.AUTHOR, Role.LEARNER] },
      { key: 'hr', name: '郑秀英', unit: '综合办公室/人事科', jobTitle: '人事专员', roles: [Role.HR, Role.LEARNER] },
      { key: 'manager', name: '孙海涛', unit: '营销中心/城区客户服务部', jobTitle: '客户服务部经理', roles: [Role.MANAGER, Role.LEARNER] },
      { key: 'learner', name: '钱小明', unit: '营销中心/城区客户服务部', jobTitle: '客户经理', roles: L, manager: 'manager' },
      { key: 'learner-2', name: '冯婷', unit: '营销中心/城区客户服务部', jobTitle: '客户经理', roles: L, manager: 'manager' },
      { key: 'learner-3', name: '何军', unit: '营销中心/乡镇客户服务部', jobTitle: '客户经理', roles: L },
      { key: 'learner-4', name: '高翔', unit: '营销中心/乡镇客户服务部', jobTitle: '客户经理', roles: L },
    ],
  },
  {
    slug: 'laoa-ecommerce',
    name: '老A电商',
    nameEn: 'Lao A E-commerce',
    industry: '电子商务',
    people: [
      { key: 'admin', name: '林峰', unit: '客服部', jobTitle: '客服总监', roles: [Role.ORG_ADMIN, Role.LEARNER] },
      { key: 'author', name: '黄静', unit: '客服部/培训组', jobTitle: '培训主管', roles: [Role.AUTHOR, Role.LEARNER] },
      { key: 'hr', name: '许佳', unit: '人事行政部', jobTitle: 'HRBP', roles: [Role.HR, Role.LEARNER] },
      { key: 'manager', name: '唐磊', unit: '客服部/售前组', jobTitle: '售前组长', roles: [Role.MANAGER, Role.LEARNER] },
      { key: 'learner', name: '宋雨', unit: '客服部/售前组', jobTitle: '在线客服', roles: L, manager: 'manager' },
      { key: 'learner-2', name: '韩梅', unit: '客服部/售前组', jobTitle: '在线客服', roles: L, manager: 'manager' },
      { key: 'learner-3', name: '曹阳', unit: '客服部/售后组', jobTitle: '售后客服', roles: L },
      { key: 'learner-4', name: '彭丽', unit: '客服部/售后组', jobTitle: '售后客服', roles: L },
    ],
  },
];

/** The demo platform admin's token subject. */
export const DEMO_PLATFORM_ADMIN = { subject: 'platform-admin', name: '平台管理员' };

/** External id of a demo person: `<org slug>-<key>`, e.g. unicom-xiaoshan-learner. */
export const demoExternalId = (slug: string, key: string): string => `${slug}-${key}`;
