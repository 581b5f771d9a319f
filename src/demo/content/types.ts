import { ActivityKind, CompletionKind } from '../../modules/course/content.entity';
import type { LocalizedText } from '../../modules/course/localized';

/** A demo activity: a lesson page, or an assessment (its seed content is attached by `../assessments.ts`). */
export interface DemoActivity {
  kind: ActivityKind;
  title: LocalizedText;
  html?: string;
  completion?: { kind: CompletionKind; threshold?: number };
}

/** A demo module, following a part of the seed document. */
export interface DemoModule {
  title: LocalizedText;
  description?: LocalizedText;
  activities: DemoActivity[];
}

/** A demo course written from one of ../shared/seeds (lessons in Chinese, titles also in English). */
export interface DemoCourse {
  code: string;
  title: LocalizedText;
  description: LocalizedText;
  tags: string[];
  estimatedMinutes: number;
  selfEnrollment: boolean;
  modules: DemoModule[];
}

/** A lesson page. */
export const page = (zh: string, en: string, html: string): DemoActivity => ({ kind: ActivityKind.PAGE, title: { 'zh-CN': zh, en }, html: html.trim() });

/** The graded quiz closing a course (its questions: the course's seed quiz, see `../assessments.ts`). */
export const courseQuiz = (): DemoActivity => ({
  kind: ActivityKind.ASSESSMENT, title: { 'zh-CN': '课程测验', en: 'Course quiz' }, completion: { kind: CompletionKind.PASSED },
});

/** A module with its Chinese and English titles. */
export const demoModule = (zh: string, en: string, activities: DemoActivity[]): DemoModule => ({ title: { 'zh-CN': zh, en }, activities });
