/*
 * The learner view's assessment taker (loaded before learner-view.js, which calls it): the rules,
 * every question kind as native, labelled controls, the timer, saving, submit, and the result and
 * review as far as the policy releases them. Texts go into the page as text only.
 */
(function () {
  'use strict';

  /** Shows the ASSESSMENT activity `a` in `area`; `kit` is what the view lends it; `done` refreshes the outline. */
  window.CoursegraphAssessment = function (kit, a, area, done) {
    var T = kit.T;
    var h = kit.h;
    var fmt = kit.fmt;
    var mutate = kit.mutate;
    var failed = kit.failed;
    var announce = kit.announce;
    var focusHeading = kit.focusHeading;
    var view = kit.view;
    var timer = 0;
    kit.onLeave(function () { clearInterval(timer); });

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
          if (err instanceof kit.SessionEnded) return failed(err);
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

    return assessmentActivity(a, area, done);
  };
})();
