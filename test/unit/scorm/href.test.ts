import { appendParameters, hrefToFilePath, resolveHref } from '../../../src/modules/scorm/engine/href';

describe('appendParameters (SCORM CAM launch-URL rules)', () => {
  it.each([
    ['page.html', undefined, 'page.html'],
    ['page.html', '', 'page.html'],
    ['page.html', '?a=1', 'page.html?a=1'],
    ['page.html', 'a=1', 'page.html?a=1'],
    ['page.html', '&a=1', 'page.html?a=1'],
    ['page.html?x=0', '?a=1&b=2', 'page.html?x=0&a=1&b=2'],
    ['page.html?x=0', '&a=1', 'page.html?x=0&a=1'],
    ['page.html', '#intro', 'page.html#intro'],
    ['page.html#top', '#intro', 'page.html#top'],
    ['page.html#top', '?a=1', 'page.html?a=1#top'],
    ['page.html?x=0#top', '?a=1#intro', 'page.html?x=0&a=1#top'],
    ['page.html', '?a=1#intro', 'page.html?a=1#intro'],
  ])('%s + %s = %s', (href, parameters, expected) => {
    expect(appendParameters(href, parameters)).toBe(expected);
  });
});

describe('resolveHref', () => {
  it.each([
    [[undefined, undefined, undefined], 'a/b.html', 'a/b.html'],
    [['course/', 'res/', 'sco'], 'index.html', 'course/res/sco/index.html'],
    [[undefined, undefined, 'sco/'], './x/../index.html?q=1#f', 'sco/index.html?q=1#f'],
    [['base/'], 'https://cdn.example/a.js', 'https://cdn.example/a.js'],
    [['https://cdn.example/pkg/', 'sco/'], 'a.html', 'https://cdn.example/pkg/sco/a.html'],
    [['a/'], '../b.html', 'b.html'],
  ])('%j + %s = %s', (bases, href, expected) => {
    expect(resolveHref(bases, href)).toBe(expected);
  });

  it.each([['../x.html'], ['/abs.html'], ['a/../../x.html']])('refuses %s, which leaves the package', (href) => {
    expect(resolveHref([], href)).toBeNull();
  });
});

describe('hrefToFilePath', () => {
  it('drops query and fragment and decodes escapes', () => {
    expect(hrefToFilePath('my%20dir/a%C3%A9.html?x=1#y')).toBe('my dir/aé.html');
    expect(hrefToFilePath('bad%zz.html')).toBe('bad%zz.html');
  });
});
