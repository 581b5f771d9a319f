import { Foundation1763800000000 } from './1763800000000-Foundation';

/** Every migration, in order. A new migration is added here after it is generated. */
export const migrations: Function[] = [Foundation1763800000000];
