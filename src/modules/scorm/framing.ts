import type { Config } from '../../config';

/**
 * CSP `frame-ancestors` of the player, the content and the learner view, decided together: CSP
 * checks every ancestor of a frame, so the SCO frame inside the player must allow the LMS pages
 * that embed the player (`PLAYER_FRAME_ANCESTORS`) as well as the player itself, which shares its
 * origin; and the player and the content, shown inside the learner view (served on `PUBLIC_URL`),
 * allow that origin too. The learner view itself follows the LMS list, as the player does.
 */
export function frameAncestors(config: Pick<Config, 'playerFrameAncestors' | 'publicUrl'>): { player: string; content: string; learnerView: string } {
  const configured = config.playerFrameAncestors;
  const lms = configured.filter((source) => source !== "'none'" && source !== "'self'");
  const learnerView = new URL(config.publicUrl).origin;
  const open = configured.includes('*');
  return {
    player: open ? configured.join(' ') : [...configured.filter((source) => source !== "'none'"), learnerView].join(' '),
    content: ["'self'", ...lms, ...(open ? [] : [learnerView])].join(' '),
    learnerView: configured.join(' '),
  };
}
