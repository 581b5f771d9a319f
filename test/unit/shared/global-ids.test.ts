import { fromGlobalId, toGlobalId } from '../../../src/shared/ids';

test('global ids are base64url of Type:id, the same through the reused buffer as a fresh one, and round-trip', () => {
  const ids = ['0b6f3c1e-8a5b-4a51-9c1a-6f0e2d3b4c5d', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-4fff-8fff-ffffffffffff'];
  for (const type of ['Activity', 'CourseModule', 'ActivityProgress', 'A']) {
    for (const id of ids) {
      const gid = toGlobalId(type, id);
      expect(gid).toBe(Buffer.from(`${type}:${id}`, 'utf8').toString('base64url'));
      expect(fromGlobalId(gid)).toEqual({ type, id });
    }
  }
  // Texts beyond the buffer and non-ASCII ones encode as UTF-8 all the same, one after another.
  for (const text of ['课程'.repeat(50), '课'.repeat(126), 'x'.repeat(300), 'é', '😀'.repeat(63), '😀'.repeat(64)]) {
    expect(toGlobalId('T', text)).toBe(Buffer.from(`T:${text}`, 'utf8').toString('base64url'));
  }
});
