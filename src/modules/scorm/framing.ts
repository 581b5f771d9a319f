import type { Config } from '../../config';

/**
 * CSP `frame-ancestors` of the player and of the content, decided together: CSP checks every
 * ancestor of a frame, so the SCO frame inside the player must allow the LMS pages that embed
 * the player (`PLAYER_FRAME_ANCESTORS`) as well as the player itself, which shares its origin.
 */
export function frameAncestors(config: Pick<Config, 'playerFrameAncestors'>): { player: string; content: string } {
  const lms = config.playerFrameAncestors.filter((source) => source !== "'none'" && source !== "'self'");
  return {
    player: config.playerFrameAncestors.join(' '),
    content: ["'self'", ...lms].join(' '),
  };
}
