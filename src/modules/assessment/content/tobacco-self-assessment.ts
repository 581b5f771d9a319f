import type { Assessment, LocalizedText, ScaleQuestion } from '../engine/types';
import { t } from './builders';

/** Why the questionnaire has nine items and bands out of 90 (for the README). */
export const SELF_ASSESSMENT_NOTE =
  'The seed questionnaire lost its tenth item, so the tobacco self-assessment keeps the nine items that survive ' +
  '(each scored 10 to 1, totals 9-90) rather than inventing one, and scales the original bands (out of 100) to the ' +
  '90-point maximum: 72 and above (was 80 and above), 45-71 (was 50-80), below 45 (was under 50).';

/** A bipolar item scored 10 (left pole, the service-minded end) down to 1 (right pole). */
function item(n: number, theme: LocalizedText, leftPole: LocalizedText, rightPole: LocalizedText): ScaleQuestion {
  return { id: `item-${n}`, kind: 'SCALE', prompt: theme, leftPole, rightPole, scaleFrom: 10, scaleTo: 1, points: 0, tags: [] };
}

/**
 * The tobacco tenant's self-assessment 「你是否准备好为客户提供优质服务」 (seed 000): for each item
 * the learner picks the score from 10 to 1 that best describes them; the sum falls in a band.
 */
export const tobaccoSelfAssessment: Assessment = {
  key: 'tobacco-service-readiness',
  title: t('你是否准备好为客户提供优质服务', 'Are you ready to give customers quality service?'),
  description: t(
    '自我评估:每题在两种说法之间选出最符合你情况的分数(左端10分,右端1分),最后把各题分数相加得出总分。',
    'Self-assessment: for each item pick the score between the two statements that fits you best (10 at the left, 1 at the right); your total is the sum.',
  ),
  settings: {
    kind: 'SELF_ASSESSMENT',
    passingScore: null,
    attemptsAllowed: null,
    gradingMethod: 'LAST',
    timeLimitSeconds: null,
    shuffleQuestions: false,
    shuffleOptions: false,
    draw: [],
    reviewPolicy: { show: 'FEEDBACK', when: 'IMMEDIATELY' },
    scoreBands: [
      {
        min: 72,
        max: 90,
        label: t('优秀', 'Excellent'),
        interpretation: t('对客户来说,你是一名优秀的服务者。', 'To your customers, you are an excellent service person.'),
      },
      {
        min: 45,
        max: 71,
        label: t('需提升人际技巧', 'Build your people skills'),
        interpretation: t(
          '在与人共事之前,你需要先学习人际关系技巧。',
          'Before working with people, you need to learn interpersonal skills.',
        ),
      },
      {
        min: 9,
        max: 44,
        label: t('请慎重考虑', 'Think it over'),
        interpretation: t(
          '为客户服务的工作对你来说也许不是一个很好的职业选择。',
          'Customer service may not be a good career choice for you.',
        ),
      },
    ],
  },
  questions: [
    item(
      1,
      t('情绪控制', 'Keeping your temper'),
      t('大部分时间我都能控制自己的情绪', 'Most of the time I can control my emotions'),
      t('我不怎么能控制自己的情绪', 'I cannot really control my emotions'),
    ),
    item(
      2,
      t('面对冷漠', 'Facing coldness'),
      t('别人对我冷漠,我也可以友善对待他们', 'Even when people are cold to me I can be friendly to them'),
      t('人们对我态度不好,我也就对他们不友善', 'When people treat me badly, I am not friendly to them either'),
    ),
    item(
      3,
      t('与人相处', 'Getting along'),
      t('我喜欢身边的大部分人,也喜欢认识其他人', 'I like most people around me and like meeting others'),
      t('我与人相处有困难', 'I find it hard to get along with people'),
    ),
    item(
      4,
      t('服务他人', 'Serving others'),
      t('我喜欢为他人服务', 'I like serving others'),
      t('我只愿意接受别人的服务或帮助', 'I only want to receive service or help from others'),
    ),
    item(
      5,
      t('道歉', 'Apologizing'),
      t('就算我没错,我也不介意道歉', 'I do not mind apologizing even when I am not wrong'),
      t('我觉得道歉很难为情,没错就更不用说了', 'Apologizing embarrasses me, let alone when I am not wrong'),
    ),
    item(
      6,
      t('记住姓名和面孔', 'Remembering names and faces'),
      t('我很能记住别人的名字和面孔,与人打交道时会尽力提高这方面的技巧', 'I remember names and faces well and keep improving at it'),
      t('如果不会再见到那个人,何必花功夫记住他的名字和面孔', 'If I will not see someone again, why bother remembering their name and face'),
    ),
    item(
      7,
      t('微笑', 'Smiling'),
      t('微笑对我来说是很自然的事', 'Smiling comes naturally to me'),
      t('我生性比较严肃', 'I am serious by nature'),
    ),
    item(
      8,
      t('让别人快乐', 'Making others happy'),
      t('我喜欢看到别人快乐', 'I like seeing others happy'),
      t('我没有去讨好别人的动力,尤其是我不认识的人', 'I have no urge to please others, especially strangers'),
    ),
    item(
      9,
      t('仪表', 'Appearance'),
      t('我保持仪表整洁光鲜', 'I keep myself neat and well groomed'),
      t('保持仪表整洁光鲜不是那么重要', 'Being neat and well groomed is not that important'),
    ),
  ],
};
