/*
 * The learner view's client (GET /learn): a small hand-written script, no build step. It is a
 * client of the public GraphQL API with the learner's bearer credential, which arrives in the URL
 * fragment (#token=…) and is moved into sessionStorage at once. Every text is put into the page as
 * text (textContent), never as markup, except a PAGE's HTML, which the server sanitized.
 */
(function () {
  'use strict';

  var data = JSON.parse(document.getElementById('cg-data').textContent);
  var T = data.texts;
  var OPS = data.operations;
  var LOCALE = data.locale;
  var KEY = 'coursegraph.learner.token';
  var view = document.getElementById('view');
  var live = document.getElementById('live');
  var memoryToken = null;
  var cleanups = [];

  // ---- credential -------------------------------------------------------------------------

  function takeToken() {
    var match = /(?:^#|&)token=([^&]*)/.exec(location.hash);
    if (match) {
      memoryToken = decodeURIComponent(match[1]);
      try { sessionStorage.setItem(KEY, memoryToken); } catch (e) { /* storage refused: kept in memory */ }
      history.replaceState(history.state, '', location.pathname + location.search);
    }
    if (memoryToken) return memoryToken;
    try { return sessionStorage.getItem(KEY); } catch (e) { return null; }
  }

  // ---- small helpers ----------------------------------------------------------------------

  function fmt(template, params) {
    return template.replace(/\{(\w+)\}/g, function (all, name) { return params && name in params ? String(params[name]) : all; });
  }

  /** An element with properties (text, attributes, on<event> handlers) and children (nodes or text). */
  function h(tag, props, children) {
    var el = document.createElement(tag);
    Object.keys(props || {}).forEach(function (name) {
      var value = props[name];
      if (value === null || value === undefined || value === false) return;
      if (name === 'text') el.textContent = value;
      else if (name.slice(0, 2) === 'on') el.addEventListener(name.slice(2), value);
      else if (name === 'checked' || name === 'value' || name === 'disabled' || name === 'selected') el[name] = value;
      else el.setAttribute(name, value === true ? '' : value);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      el.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return el;
  }

  function announce(text) {
    live.textContent = '';
    setTimeout(function () { live.textContent = text; }, 50);
  }

  /** Stops what the previous view left running (its timer, its listeners). */
  function leaveView() {
    cleanups.splice(0).forEach(function (fn) { fn(); });
  }

  function show(nodes) {
    leaveView();
    view.textContent = '';
    nodes.forEach(function (node) { if (node) view.appendChild(node); });
  }

  function focusHeading(el) {
    if (!el) return;
    el.setAttribute('tabindex', '-1');
    el.focus();
  }

  function params() {
    var q = new URLSearchParams(location.search);
    return { course: q.get('course'), activity: q.get('activity') };
  }

  function href(course, activity) {
    var q = new URLSearchParams(location.search);
    ['course', 'activity'].forEach(function (k) { q.delete(k); });
    if (course) q.set('course', course);
    if (activity) q.set('activity', activity);
    var s = q.toString();
    return location.pathname + (s ? '?' + s : '');
  }

  /** A link inside the view: a real href, followed without reloading the page (the token stays in memory). */
  function link(text, course, activity, extra) {
    var props = { href: href(course, activity), onclick: function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button) return;
      event.preventDefault();
      history.pushState(null, '', href(course, activity));
      route(true);
    } };
    Object.keys(extra || {}).forEach(function (k) { props[k] = extra[k]; });
    return h('a', props, [text]);
  }

  // ---- the API ----------------------------------------------------------------------------

  function SessionEnded() {}

  function gql(name, variables) {
    var op = OPS[name];
    return fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + takeToken(), 'accept-language': LOCALE },
      body: JSON.stringify({ operationName: name, query: op.body, variables: variables || {},
        extensions: { persistedQuery: { version: 1, sha256Hash: op.id } } }),
    }).then(function (res) { return res.json(); }).then(function (body) {
      var errors = body.errors || [];
      if (errors.some(function (e) { return e.extensions && e.extensions.code === 'UNAUTHENTICATED'; })) throw new SessionEnded();
      if (errors.length && (!body.data || errors.some(function (e) { return !e.path; }))) throw new Error(errors[0].message);
      return { data: body.data || {}, errors: errors };
    });
  }

  /** A mutation's payload; its first payload error becomes a thrown message. */
  function mutate(name, field, input) {
    return gql(name, { input: input }).then(function (r) {
      var payload = r.data[field];
      if (payload.errors && payload.errors.length) throw new Error(payload.errors[0].message);
      return payload;
    });
  }

  function failed(err) {
    if (err instanceof SessionEnded) {
      try { sessionStorage.removeItem(KEY); } catch (e) { /* nothing stored */ }
      memoryToken = null;
      return helpPage(T.sessionEnded);
    }
    var heading = h('h1', { text: T.errorTitle });
    show([heading, h('p', { role: 'alert', text: err && err.message ? err.message : String(err) }),
      h('button', { type: 'button', onclick: function () { route(true); } }, [T.retry])]);
    focusHeading(heading);
  }

  function helpPage(extra) {
    view.textContent = '';
    document.getElementById('help').hidden = false;
    if (extra) document.getElementById('help-body').textContent = extra;
    document.title = T.noTokenTitle;
  }

  // ---- progress ---------------------------------------------------------------------------

  function statusOf(progress) {
    if (!progress) return { key: 'NotStarted', text: T.statusNotStarted };
    if (progress.successStatus === 'FAILED') return { key: 'Failed', text: T.statusFailed };
    if (progress.completed) return progress.successStatus === 'PASSED' ? { key: 'Passed', text: T.statusPassed } : { key: 'Completed', text: T.statusCompleted };
    return { key: 'InProgress', text: T.statusInProgress };
  }

  function progressBar(percent, id) {
    var label = fmt(T.percent, { n: percent });
    return h('div', { class: 'progress' }, [
      h('progress', { id: id, max: '100', value: String(percent), 'aria-label': T.progress + ': ' + label }),
      h('span', { class: 'percent', 'data-progress': 'course', text: label }),
    ]);
  }

  // ---- enrollments ------------------------------------------------------------------------

  function enrollmentsPage(focus) {
    return gql('LearnEnrollments').then(function (r) {
      var nodes = r.data.viewer.enrollments.nodes.filter(function (e) { return e.status !== 'WITHDRAWN'; });
      var heading = h('h1', { text: T.myCourses });
      document.title = T.myCourses;
      var list = nodes.length ? h('ul', { class: 'courses' }, nodes.map(function (e) {
        return h('li', {}, [
          link(e.course.title, e.course.id, null, { class: 'course-link' }),
          progressBar(e.progressPercent),
          e.dueAt ? h('p', { class: 'due', text: fmt(T.due, { date: new Date(e.dueAt).toLocaleDateString(LOCALE) }) }) : null,
        ]);
      })) : h('p', { text: T.noEnrollments });
      show([heading, list]);
      if (focus) focusHeading(heading);
    });
  }

  // ---- course -----------------------------------------------------------------------------

  function outline(course, current) {
    var enrollment = course.viewerEnrollment;
    return h('nav', { class: 'outline', 'aria-labelledby': 'outline-title' }, [
      h('h2', { id: 'outline-title', text: T.outline }),
      enrollment ? progressBar(enrollment.progressPercent, 'course-progress') : h('p', { text: T.notEnrolled }),
      h('ol', { class: 'modules' }, course.modules.map(function (m) {
        var mp = m.progress;
        return h('li', {}, [
          h('h3', { text: m.title }),
          mp ? h('p', { class: 'module-progress', text: fmt(T.moduleProgress, { done: mp.completedCount, total: mp.requiredCount }) }) : null,
          h('ol', { class: 'activities' }, m.activities.map(function (a) {
            var status = statusOf(a.progress);
            var extra = { 'data-activity': a.id, 'aria-current': a.id === current ? 'page' : null };
            return h('li', { class: 'activity status-' + status.key }, [
              link(a.title, course.id, a.id, extra),
              h('span', { class: 'kind', text: ' · ' + T['kind' + a.kind] + (a.required ? '' : ' (' + T.optional + ')') }),
              h('span', { class: 'status', 'data-status': a.id, text: ' · ' + status.text }),
            ]);
          })),
        ]);
      })),
    ]);
  }

  function coursePage(courseId, activityId, focus) {
    return gql('LearnCourse', { id: courseId }).then(function (r) {
      var course = r.data.course;
      if (!course) throw new Error(r.errors.length ? r.errors[0].message : T.notEnrolled);
      var heading = h('h1', { text: course.title });
      document.title = course.title;
      var activityArea = h('section', { id: 'activity', 'aria-labelledby': activityId ? 'activity-title' : null });
      var top = h('p', { class: 'crumbs' }, [link(T.backToCourses, null, null)]);
      show([top, heading, course.description ? h('p', { text: course.description }) : null,
        h('div', { class: 'layout' }, [outline(course, activityId), activityArea])]);
      if (activityId) return activityPage(course, activityId, activityArea, focus);
      if (focus) focusHeading(heading);
    });
  }

  /** Redraws the outline (progress changed) without touching the activity shown beside it. */
  function refreshOutline(courseId, activityId) {
    return gql('LearnCourse', { id: courseId }).then(function (r) {
      var old = view.querySelector('nav.outline');
      if (r.data.course && old) old.parentNode.replaceChild(outline(r.data.course, activityId), old);
    });
  }

  // ---- activities -------------------------------------------------------------------------

  function activityPage(course, activityId, area, focus) {
    return gql('LearnActivity', { id: activityId }).then(function (r) {
      var a = r.data.node;
      if (!a) throw new Error(r.errors.length ? r.errors[0].message : T.errorTitle);
      var heading = h('h2', { id: 'activity-title', text: a.title });
      document.title = a.title + ' · ' + course.title;
      area.textContent = '';
      area.appendChild(heading);
      area.appendChild(h('p', { class: 'crumbs' }, [link(T.backToOutline, course.id, null)]));
      if (focus) focusHeading(heading);
      var done = function () { return refreshOutline(course.id, a.id); };
      if (a.kind === 'PAGE') return pageActivity(a, area, done);
      if (a.kind === 'VIDEO') return videoActivity(a, area, done);
      if (a.kind === 'SCORM') return scormActivity(a, area, done);
      if (a.kind === 'ASSESSMENT') return window.CoursegraphAssessment(kit, a, area, done);
    });
  }

  function pageActivity(a, area, done) {
    var body = h('div', { class: 'page-content' });
    // Sanitized by the server when the author saved it; scripts could not run here anyway (CSP).
    body.innerHTML = a.page ? a.page.html : '';
    area.appendChild(body);
    if (a.progress && a.progress.completed) return null;
    return mutate('LearnRecordProgress', 'recordActivityProgress', { activityId: a.id, completed: true }).then(function () {
      announce(T.pageRead);
      return done();
    });
  }

  function videoActivity(a, area, done) {
    var url = a.video ? a.video.url : '';
    var video = h('video', { controls: true, preload: 'metadata', src: url, 'aria-labelledby': 'activity-title' });
    var started = Date.now();
    var recorded = a.progress && a.progress.completed;
    function record(completed) {
      var measure = video.duration ? Math.min(1, video.currentTime / video.duration) : null;
      var input = { activityId: a.id, sessionSeconds: Math.round((Date.now() - started) / 1000) };
      started = Date.now();
      if (completed) {
        input.completed = true;
        input.progressMeasure = 1;
      } else if (measure !== null) {
        input.progressMeasure = Math.round(measure * 100) / 100;
      }
      return mutate('LearnRecordProgress', 'recordActivityProgress', input).then(done).catch(failed);
    }
    video.addEventListener('pause', function () { if (!video.ended) record(false); });
    video.addEventListener('ended', function () {
      if (recorded) return;
      recorded = true;
      record(true).then(function () { announce(T.videoWatched); });
    });
    area.appendChild(video);
    area.appendChild(h('p', {}, [h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, [T.videoFallback])]));
  }

  function scormActivity(a, area, done) {
    var status = h('p', { class: 'scorm-status', text: T.launching });
    area.appendChild(status);
    function launch() {
      status.textContent = T.launching;
      return mutate('LearnLaunch', 'launchActivity', { activityId: a.id }).then(function (payload) {
        status.textContent = '';
        var frame = h('iframe', { class: 'player', src: payload.launch.playerUrl, title: fmt(T.scormFrame, { title: a.title }), allow: 'fullscreen' });
        area.appendChild(frame);
        var playerOrigin = new URL(payload.launch.playerUrl, location.href).origin;
        window.addEventListener('message', onMessage);
        cleanups.push(function () { window.removeEventListener('message', onMessage); });
        function onMessage(event) {
          if (event.origin !== playerOrigin || !event.data || typeof event.data.type !== 'string') return;
          if (event.data.type === 'coursegraph.scorm.exit') {
            window.removeEventListener('message', onMessage);
            frame.remove();
            status.textContent = '';
            status.appendChild(h('button', { type: 'button', onclick: function () { this.remove(); launch(); } }, [T.launch]));
            announce(T.lessonClosed);
            // The player tells of the end as the SCO terminates, while its final commit may still
            // be on its way: look again a little later.
            done();
            [1500, 4000].forEach(function (ms) {
              var again = setTimeout(done, ms);
              cleanups.push(function () { clearTimeout(again); });
            });
          } else if (event.data.type === 'coursegraph.scorm.navigate') {
            done();
          }
        }
      });
    }
    if (a.availability && !a.availability.launchable) {
      status.textContent = a.availability.message || T.errorTitle;
      return null;
    }
    return launch();
  }

  /** What the assessment taker (assessment.js) uses of the view. */
  var kit = { T: T, h: h, fmt: fmt, mutate: mutate, failed: failed, announce: announce, focusHeading: focusHeading, view: view,
    SessionEnded: SessionEnded, onLeave: function (fn) { cleanups.push(fn); } };

  // ---- routing ----------------------------------------------------------------------------

  function route(focus) {
    document.getElementById('help').hidden = true;
    if (!takeToken()) return helpPage();
    var p = params();
    var work = p.course ? coursePage(p.course, p.activity, focus) : enrollmentsPage(focus);
    return work.catch(failed);
  }

  window.addEventListener('popstate', function () { route(true); });
  route(false);
})();
