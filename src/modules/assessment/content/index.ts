import type { Assessment } from '../engine/types';
import { ecommerceCustomersQuiz } from './ecommerce-customers-quiz';
import { etiquetteQuiz } from './etiquette-quiz';
import { telecomServiceQuiz } from './telecom-service-quiz';
import { tobaccoSelfAssessment } from './tobacco-self-assessment';
import { tobaccoServiceQuiz } from './tobacco-service-quiz';

export { SELF_ASSESSMENT_NOTE } from './tobacco-self-assessment';
export { ecommerceCustomersQuiz, etiquetteQuiz, telecomServiceQuiz, tobaccoSelfAssessment, tobaccoServiceQuiz };

/** Which demo tenant a seed assessment belongs to; `shared` goes with the etiquette template. */
export type SeedTenant = 'shared' | 'tobacco' | 'telecom' | 'ecommerce';

export interface SeedAssessment {
  tenant: SeedTenant;
  /** The seed document (in `../shared/seeds/`) its facts come from. */
  source: string;
  assessment: Assessment;
}

/** Every demo assessment, for the demo-data loader. */
export const SEED_ASSESSMENTS: readonly SeedAssessment[] = [
  { tenant: 'shared', source: '001_55957cca7d71c617.txt', assessment: etiquetteQuiz },
  { tenant: 'tobacco', source: '000_644c9dccfbfd43b6.txt', assessment: tobaccoServiceQuiz },
  { tenant: 'tobacco', source: '000_644c9dccfbfd43b6.txt', assessment: tobaccoSelfAssessment },
  { tenant: 'telecom', source: '002_de4b9b940bf8ad90.txt', assessment: telecomServiceQuiz },
  { tenant: 'ecommerce', source: '003_1a4fa1d1f94c1e4e.txt', assessment: ecommerceCustomersQuiz },
];
