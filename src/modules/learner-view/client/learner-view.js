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
  var timer = 0;
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
    clearInterval(timer);
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
      if (a.kind === 'ASSESSMENT') return assessmentActivity(a, area, done);
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

  // ---- assessments ------------------------------------------------------------------------

  function assessmentActivity(a, area, done) {
    var s = a.assessment;
    var facts = [['count', fmt(T.questions, { n: s.questionCount })]];
    if (s.passingScore !== null && s.passingScore !== undefined) facts.push(['passing', fmt(T.passingScore, { n: s.passingScore })]);
    if (s.timeLimitSeconds) facts.push(['time', fmt(T.timeLimit, { n: Math.round(s.timeLimitSeconds / 60) })]);
    facts.push(['attempts', attemptsFact(s.viewerAttemptsRemaining)]);
    if (s.viewerResult) facts.push(['result', fmt(T.bestResult, { n: Math.round(s.viewerResult.percent) })]);
    var intro = h('div', { class: 'assessment-intro' }, [
      s.description ? h('p', { text: s.description }) : null,
      h('ul', { class: 'facts' }, facts.map(function (f) { return h('li', { 'data-fact': f[0], text: f[1] }); })),
    ]);
    var quiz = h('div', { class: 'quiz' });
    area.appendChild(intro);
    area.appendChild(quiz);
    var open = s.viewerAttempts.some(function (t) { return t.status === 'IN_PROGRESS'; });
    // The last graded attempt, with as much review as the policy releases by now.
    var graded = s.viewerAttempts.filter(function (t) { return t.status !== 'IN_PROGRESS'; });
    if (!open && graded.length) {
      var last = h('div', { class: 'last-attempt' });
      area.insertBefore(last, quiz);
      showResult(graded[graded.length - 1], last, false);
    }
    if (!open && s.viewerAttemptsRemaining === 0) {
      quiz.appendChild(h('p', { text: T.noAttemptsLeft }));
      return null;
    }
    quiz.appendChild(startButton(a.id, quiz, done, open ? T.resume : s.viewerAttempts.length ? T.again : T.start));
  }

  function attemptsFact(remaining) {
    return remaining === null || remaining === undefined ? T.attemptsUnlimited : fmt(T.attemptsLeft, { n: remaining });
  }

  /** After a submit: the attempts left and the result that counts, as the API now has them. */
  function updateFacts(assessment) {
    var attempts = view.querySelector('[data-fact="attempts"]');
    if (attempts) attempts.textContent = attemptsFact(assessment.viewerAttemptsRemaining);
    var result = view.querySelector('[data-fact="result"]');
    if (assessment.viewerResult) {
      if (!result && attempts) attempts.parentNode.appendChild(result = h('li', { 'data-fact': 'result' }));
      if (result) result.textContent = fmt(T.bestResult, { n: Math.round(assessment.viewerResult.percent) });
    }
  }

  function startButton(activityId, quiz, done, label) {
    return h('button', { type: 'button', class: 'primary', 'data-start': true, onclick: function () {
      mutate('LearnStartAttempt', 'startAttempt', { activityId: activityId }).then(function (payload) {
        takeAttempt(payload.attempt, quiz, done, activityId);
      }).catch(failed);
    } }, [label]);
  }

  function optionText(options, key) {
    var found = (options || []).filter(function (o) { return o.key === key; })[0];
    return found ? found.text : key;
  }

  function choiceGroup(q, name, type, options, isChecked) {
    return h('div', { class: 'choices' }, options.map(function (o, i) {
      var id = name + '-' + i;
      return h('div', { class: 'choice' }, [
        h('input', { type: type, id: id, name: name, value: o.key, checked: isChecked(o.key) }),
        h('label', { for: id, text: o.text }),
      ]);
    }));
  }

  /** The answer widget of one question, and how to read its answer back. */
  function questionWidget(q, index) {
    var name = 'q' + index;
    var r = q.response || {};
    if (q.kind === 'SINGLE_CHOICE') {
      return { el: choiceGroup(q, name, 'radio', q.options, function (k) { return r.optionId === k; }), read: function (el) {
        var c = el.querySelector('input:checked');
        return c ? { optionId: c.value } : null;
      } };
    }
    if (q.kind === 'MULTIPLE_CHOICE') {
      return { el: choiceGroup(q, name, 'checkbox', q.options, function (k) { return (r.optionIds || []).indexOf(k) >= 0; }), read: function (el) {
        var ids = Array.prototype.map.call(el.querySelectorAll('input:checked'), function (c) { return c.value; });
        return ids.length ? { optionIds: ids } : null;
      } };
    }
    if (q.kind === 'TRUE_FALSE') {
      var tf = [{ key: 'true', text: T.trueLabel }, { key: 'false', text: T.falseLabel }];
      return { el: choiceGroup(q, name, 'radio', tf, function (k) { return r.value !== null && r.value !== undefined && String(r.value) === k; }), read: function (el) {
        var c = el.querySelector('input:checked');
        return c ? { value: c.value === 'true' } : null;
      } };
    }
    if (q.kind === 'FILL_IN') {
      var input = h('input', { type: 'text', id: name + '-text', value: r.text || '', maxlength: q.maxLength ? String(q.maxLength) : null, autocomplete: 'off' });
      return { el: h('div', {}, [h('label', { for: name + '-text', text: T.yourAnswer }), ' ', input]), read: function () {
        return input.value.trim() ? { text: input.value } : null;
      } };
    }
    if (q.kind === 'SCALE') {
      var points = [];
      var step = q.scaleFrom <= q.scaleTo ? 1 : -1;
      for (var v = q.scaleFrom; v !== q.scaleTo + step; v += step) points.push({ key: String(v), text: String(v) });
      var group = choiceGroup(q, name, 'radio', points, function (k) { return r.scale !== null && r.scale !== undefined && String(r.scale) === k; });
      return { el: h('div', { class: 'scale' }, [q.leftPole ? h('span', { class: 'pole', text: q.leftPole }) : null, group, q.rightPole ? h('span', { class: 'pole', text: q.rightPole }) : null]), read: function (el) {
        var c = el.querySelector('input:checked');
        return c ? { scale: Number(c.value) } : null;
      } };
    }
    if (q.kind === 'ORDERING') return orderingWidget(q, r);
    if (q.kind === 'MATCHING') return matchingWidget(q, name, r);
    return { el: h('p', { text: q.kind }), read: function () { return null; } };
  }

  /** Items with Move up / Move down buttons: the shown order is the answer; moves are announced. */
  function orderingWidget(q, r) {
    var order = (r.optionIds && r.optionIds.length ? r.optionIds : q.options.map(function (o) { return o.key; })).slice();
    var list = h('ol', { class: 'ordering' });
    function draw(focusKey, focusDir) {
      list.textContent = '';
      order.forEach(function (key, i) {
        var text = optionText(q.options, key);
        var up = h('button', { type: 'button', 'data-move': 'up', 'aria-label': T.moveUp + ': ' + text, disabled: i === 0, onclick: function () { move(i, -1); } }, ['↑']);
        var down = h('button', { type: 'button', 'data-move': 'down', 'aria-label': T.moveDown + ': ' + text, disabled: i === order.length - 1, onclick: function () { move(i, 1); } }, ['↓']);
        list.appendChild(h('li', { 'data-key': key }, [h('span', { class: 'item', text: text }), ' ', up, ' ', down]));
        if (key === focusKey) (focusDir < 0 ? (i === 0 ? down : up) : (i === order.length - 1 ? up : down)).focus();
      });
    }
    function move(i, dir) {
      var key = order[i];
      order.splice(i, 1);
      order.splice(i + dir, 0, key);
      draw(key, dir);
      list.dispatchEvent(new Event('change', { bubbles: true }));
      announce(fmt(T.movedTo, { item: optionText(q.options, key), n: i + dir + 1, total: order.length }));
    }
    draw();
    return { el: list, read: function () { return { optionIds: order.slice() }; } };
  }

  function matchingWidget(q, name, r) {
    var chosen = {};
    (r.pairs || []).forEach(function (p) { chosen[p.left] = p.right; });
    var selects = [];
    var rows = q.left.map(function (l, i) {
      var id = name + '-m' + i;
      var select = h('select', { id: id, 'data-left': l.key }, [h('option', { value: '', text: T.chooseMatch })].concat(q.right.map(function (o) {
        return h('option', { value: o.key, text: o.text, selected: chosen[l.key] === o.key });
      })));
      selects.push(select);
      return h('div', { class: 'match' }, [h('label', { for: id, text: l.text }), ' ', select]);
    });
    return { el: h('div', {}, rows), read: function () {
      var pairs = selects.filter(function (s) { return s.value; }).map(function (s) { return { left: s.getAttribute('data-left'), right: s.value }; });
      return pairs.length ? { pairs: pairs } : null;
    } };
  }

  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    var m = Math.floor(s / 60);
    s %= 60;
    return m + ':' + (s < 10 ? '0' : '') + s;
  }

  function takeAttempt(attempt, container, done, activityId) {
    container.textContent = '';
    var widgets = [];
    var form = h('form', { class: 'attempt', novalidate: true });
    attempt.questions.forEach(function (q, i) {
      var w = questionWidget(q, i);
      widgets.push({ q: q, w: w });
      var legendId = 'q' + i + '-prompt';
      form.appendChild(h('fieldset', { class: 'question', 'data-question': q.key, 'aria-describedby': legendId + '-meta' }, [
        h('legend', { id: legendId }, [h('span', { class: 'number', text: fmt(T.question, { n: i + 1, total: attempt.questions.length }) + ' ' }), q.prompt]),
        h('p', { class: 'meta', id: legendId + '-meta', text: q.points ? fmt(T.points, { n: q.points }) : '' }),
        w.el,
      ]));
    });
    function answers() {
      return widgets.map(function (x) {
        var value = x.w.read(x.w.el) || {};
        value.questionId = x.q.key;
        return value;
      });
    }
    var saving = 0;
    function save() { return mutate('LearnSaveAnswers', 'saveAnswers', { attemptId: attempt.id, answers: answers() }); }
    form.addEventListener('change', function () {
      clearTimeout(saving);
      saving = setTimeout(function () { save().catch(function () { /* kept on screen; saved again on submit */ }); }, 1500);
    });
    var submitting = false;
    function submit() {
      if (submitting) return;
      submitting = true;
      clearTimeout(saving);
      clearInterval(timer);
      button.disabled = true;
      button.textContent = T.submitting;
      save().catch(function () { return null; }).then(function () {
        return mutate('LearnSubmitAttempt', 'submitAttempt', { attemptId: attempt.id });
      }).then(function (payload) {
        showResult(payload.attempt, container);
        var assessment = payload.activity && payload.activity.assessment;
        if (assessment) updateFacts(assessment);
        var left = assessment ? assessment.viewerAttemptsRemaining : 0;
        if (left !== 0) container.appendChild(startButton(activityId, container, done, T.again));
        return done();
      }).catch(function (err) {
        submitting = false;
        button.disabled = false;
        button.textContent = T.submit;
        if (err instanceof SessionEnded) return failed(err);
        var previous = container.querySelector('.error');
        if (previous) previous.remove();
        container.insertBefore(h('p', { role: 'alert', class: 'error', text: err.message }), form);
      });
    }
    form.addEventListener('submit', function (event) { event.preventDefault(); submit(); });
    var button = h('button', { type: 'submit', class: 'primary', text: T.submit });
    form.appendChild(button);
    if (attempt.deadlineAt) {
      var deadline = new Date(attempt.deadlineAt).getTime();
      var shown = h('p', { class: 'timer', role: 'timer', 'aria-live': 'off', text: fmt(T.timeLeft, { time: clock((deadline - Date.now()) / 1000) }) });
      container.appendChild(shown);
      var warned = false;
      timer = setInterval(function () {
        var left = (deadline - Date.now()) / 1000;
        shown.textContent = fmt(T.timeLeft, { time: clock(left) });
        if (left <= 60 && !warned) { warned = true; announce(T.oneMinute); }
        if (left <= 0) { announce(T.timeUp); submit(); }
      }, 1000);
    }
    container.appendChild(form);
    var first = form.querySelector('legend');
    if (first) focusHeading(first);
  }

  function answerText(q, value) {
    if (!value) return '';
    if (value.optionId) return optionText(q.options, value.optionId);
    if (value.optionIds) return value.optionIds.map(function (k) { return optionText(q.options, k); }).join(q.kind === 'ORDERING' ? ' → ' : ', ');
    if (value.value !== null && value.value !== undefined) return value.value ? T.trueLabel : T.falseLabel;
    if (value.text) return value.text;
    if (value.pairs) return value.pairs.map(function (p) { return optionText(q.left, p.left) + ' = ' + optionText(q.right, p.right); }).join('; ');
    if (value.scale !== null && value.scale !== undefined) return String(value.scale);
    return '';
  }

  function showResult(attempt, container, fresh) {
    container.textContent = '';
    var heading = h('h3', { id: fresh === false ? null : 'result-title', text: T.result });
    var lines = [];
    if (attempt.result) {
      lines.push(fmt(T.scored, { n: Math.round(attempt.result.percent) }));
      if (attempt.result.passed === true) lines.push(T.passed);
      if (attempt.result.passed === false) lines.push(T.failed);
      if (attempt.result.band) lines.push(attempt.result.band.label + ': ' + attempt.result.band.interpretation);
    } else {
      lines.push(T.submittedNoScore);
    }
    var summary = h('p', { class: 'result', 'data-result': fresh === false ? 'last' : 'new', text: lines.join(T.sentenceGap) });
    var section = h('section', { class: 'review' }, [heading, summary]);
    var reviewed = attempt.questions.filter(function (q) { return q.review; });
    if (reviewed.length) {
      section.appendChild(h('h4', { text: T.reviewHeading }));
      section.appendChild(h('ol', {}, reviewed.map(function (q) {
        var rv = q.review;
        return h('li', { 'data-review': q.key, class: 'correctness-' + rv.correctness }, [
          h('p', { class: 'prompt', text: q.prompt }),
          h('p', { text: T['correct' + rv.correctness] + ' (' + rv.earned + ' / ' + rv.max + ')' }),
          q.response ? h('p', { text: T.yourAnswer + ': ' + answerText(q, q.response) }) : null,
          rv.correctAnswer ? h('p', { text: fmt(T.correctAnswer, { answer: answerText(q, rv.correctAnswer) }) }) : null,
          rv.feedback ? h('p', { text: fmt(T.feedback, { text: rv.feedback }) }) : null,
          rv.explanation ? h('p', { text: fmt(T.explanation, { text: rv.explanation }) }) : null,
        ]);
      })));
    }
    container.appendChild(section);
    if (fresh === false) return;
    announce(lines.join(T.sentenceGap));
    focusHeading(heading);
  }

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
