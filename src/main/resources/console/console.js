/*
 * The staff's console: sign-in with the admin token, executions (listed, searched, one drawn on the state machine),
 * approvals, the waitlist and the capacity, all read from and acted on through the service's admin endpoints.
 *
 * - The token is kept in sessionStorage (this tab only) and sent as "Authorization: Bearer"; never in a URL, never in
 *   a cookie. Signing out, or any 401, forgets it.
 * - Everything the service answers is shown with textContent or as attribute values: a name is never parsed as
 *   markup (the Content-Security-Policy would also stop an injected script; this is the first line).
 */
(function () {
  'use strict';

  var TOKEN_KEY = 'daycare.adminToken';
  var POLL_MS = 4000;
  /** The service's root: the console is served at <root>/console/, the admin endpoints at <root>/... */
  var ROOT = new URL('../', document.baseURI);

  var state = {
    model: null,
    list: { status: '', search: '', size: 25, tokens: [null] },
    waitlistOffset: 0,
    waitlistPage: 50,
    execution: null,
    selected: null,
    wanted: null
  };
  var pollTimer = null;

  // ------------------------------------------------------------------ small DOM helpers (text only)

  function $(id) {
    return document.getElementById(id);
  }

  /** An element with attributes and children; strings become text nodes. No event-handler attributes. */
  function el(tag, attributes) {
    var element = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (/^on/i.test(name)) {
        throw new Error('no event-handler attributes');
      }
      var value = attributes[name];
      if (value !== null && value !== undefined && value !== false) {
        element.setAttribute(name, value === true ? '' : String(value));
      }
    });
    for (var i = 2; i < arguments.length; i++) {
      append(element, arguments[i]);
    }
    return element;
  }

  function append(parent, child) {
    if (child === null || child === undefined || child === false) {
      return;
    }
    if (Array.isArray(child)) {
      child.forEach(function (each) { append(parent, each); });
    } else if (child instanceof Node) {
      parent.appendChild(child);
    } else {
      parent.appendChild(document.createTextNode(String(child)));
    }
  }

  function timeText(iso) {
    if (!iso) {
      return '';
    }
    var date = new Date(iso);
    if (isNaN(date.getTime())) {
      return String(iso);
    }
    return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  }

  function time(iso) {
    return el('time', { datetime: iso }, timeText(iso));
  }

  function badge(status) {
    return el('span', { 'class': 'badge ' + status }, status);
  }

  function executionLink(executionId, label) {
    return el('a', { href: '#/executions/' + encodeURIComponent(executionId), 'class': label ? null : 'mono' },
        label || executionId);
  }

  // ------------------------------------------------------------------ messages

  function showProblem(text) {
    var box = $('problem');
    box.textContent = text;
    box.hidden = false;
  }

  function showNotice(text) {
    $('notice').textContent = text;
  }

  function clearMessages() {
    $('problem').textContent = '';
    $('problem').hidden = true;
    $('notice').textContent = '';
  }

  // ------------------------------------------------------------------ the admin endpoints

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  /** A failed call, with a sentence for a person. */
  function Problem(message, status, error) {
    this.message = message;
    this.status = status;
    this.error = error;
  }

  /** A 401: the person is back at sign-in; the view that called stops quietly. */
  function SignedOut() {
  }

  var GENERIC = {
    0: 'The service cannot be reached. Check that it is running and that this computer is online, then try again.',
    401: 'Your sign-in is no longer accepted. Sign in again with the admin token.',
    500: 'The service failed while answering (an internal error). Try again; if it keeps failing, tell whoever runs the service.',
    503: 'The service cannot reach its database right now. Try again in a few seconds.'
  };

  /**
   * Calls an admin endpoint with the bearer token. explain maps a status code or an error code of the answer to
   * the sentence shown when it fails.
   */
  function call(method, path, body, explain, withToken) {
    var headers = { Accept: 'application/json' };
    var bearer = withToken === undefined ? token() : withToken;
    if (bearer) {
      headers.Authorization = 'Bearer ' + bearer;
    }
    var options = { method: method, headers: headers, cache: 'no-store', credentials: 'omit', redirect: 'error' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body);
    }
    return fetch(new URL(path.replace(/^\//, ''), ROOT), options).then(function (response) {
      return response.text().then(function (text) {
        var answer = null;
        try {
          answer = text ? JSON.parse(text) : null;
        } catch (ignored) {
          answer = null;
        }
        if (response.ok) {
          return answer;
        }
        var error = answer && typeof answer.error === 'string' ? answer.error : null;
        var sentence = (explain && (explain[error] || explain[response.status])) || GENERIC[response.status]
            || ('The request failed (HTTP ' + response.status + ')' + (error ? ': ' + error : '.'));
        throw new Problem(sentence, response.status, error);
      });
    }, function () {
      throw new Problem(GENERIC[0], 0, null);
    }).catch(function (failure) {
      if (failure instanceof Problem && failure.status === 401 && withToken === undefined) {
        // two calls refused together: the first signs out (and keeps where to return), the second only stops
        if (token()) {
          signOut(GENERIC[401], true);
        }
        throw new SignedOut();
      }
      throw failure;
    });
  }

  /** What a view does with a failure: a 401 already went to sign-in; anything else is shown. */
  function report(failure) {
    if (failure instanceof SignedOut) {
      return;
    }
    showProblem(failure instanceof Problem ? failure.message
        : 'Something went wrong in the console: ' + (failure && failure.message ? failure.message : String(failure)));
  }

  // ------------------------------------------------------------------ views and routing

  var VIEWS = ['sign-in', 'executions', 'execution', 'approvals', 'waitlist', 'capacity'];

  function show(view) {
    VIEWS.forEach(function (name) {
      $('view-' + name).hidden = name !== view;
    });
    $('nav').hidden = view === 'sign-in';
    document.querySelectorAll('[data-nav]').forEach(function (link) {
      var current = link.getAttribute('data-nav') === view || (view === 'execution' && link.getAttribute('data-nav') === 'executions');
      if (current) {
        link.setAttribute('aria-current', 'page');
      } else {
        link.removeAttribute('aria-current');
      }
    });
  }

  function focusTitle(view) {
    var title = $('view-' + view).querySelector('h1');
    if (title) {
      title.focus();
    }
  }

  function stopPolling() {
    if (pollTimer !== null) {
      clearInterval(pollTimer);
      pollTimer = null;
    }
  }

  function route() {
    stopPolling();
    clearMessages();
    var hash = location.hash || '';
    if (!token()) {
      state.wanted = hash.indexOf('#/') === 0 ? hash : null;
      show('sign-in');
      focusTitle('sign-in');
      return;
    }
    var match = /^#\/executions\/([A-Za-z0-9-]{1,64})$/.exec(hash);
    if (match) {
      openExecution(decodeURIComponent(match[1]));
    } else if (hash === '#/approvals') {
      openApprovals();
    } else if (hash === '#/waitlist') {
      openWaitlist();
    } else if (hash === '#/capacity') {
      openCapacity();
    } else if (hash === '#/executions') {
      openExecutions();
    } else {
      location.replace('#/executions');
    }
  }

  // ------------------------------------------------------------------ sign-in and out

  function signIn(event) {
    event.preventDefault();
    clearMessages();
    var input = $('token');
    var candidate = input.value.trim();
    if (!candidate) {
      showProblem('Enter the admin token.');
      input.focus();
      return;
    }
    $('sign-in').disabled = true;
    call('GET', '/executions?limit=1', undefined, {
      401: 'This token was not accepted. Check it (data/admin-token, or daycare.admin.token) and try again.'
    }, candidate).then(function () {
      sessionStorage.setItem(TOKEN_KEY, candidate);
      input.value = '';
      var next = state.wanted && state.wanted !== '#/sign-in' ? state.wanted : '#/executions';
      state.wanted = null;
      if (location.hash === next) {
        route();
      } else {
        location.hash = next;
      }
    }, function (failure) {
      report(failure);
      input.focus();
      input.select();
    }).then(function () {
      $('sign-in').disabled = false;
    });
  }

  /**
   * Forgets the token and everything shown with it, and goes back to sign-in (with a message, if any); after a 401
   * the view that was open is opened again once signed in.
   */
  function signOut(message, returnHere) {
    var here = returnHere && location.hash.indexOf('#/') === 0 ? location.hash : null;
    stopPolling();
    sessionStorage.removeItem(TOKEN_KEY);
    state.model = null;
    state.execution = null;
    state.selected = null;
    state.list = { status: '', search: '', size: state.list.size, tokens: [null] };
    ['executions-rows', 'approvals-rows', 'waitlist-rows', 'capacity-rows', 'timeline', 'execution-facts', 'graph',
      'state-details-body'].forEach(function (id) { $(id).replaceChildren(); });
    ['doc-input', 'doc-output', 'executions-summary', 'approvals-summary', 'waitlist-summary'].forEach(function (id) {
      $(id).textContent = '';
    });
    $('filter-search').value = '';
    $('filter-status').value = '';
    if (location.hash !== '') {
      history.replaceState(null, '', location.pathname);
    }
    state.wanted = here;
    show('sign-in');
    clearMessages();
    if (message) {
      showProblem(message);
    }
    focusTitle('sign-in');
  }

  // ------------------------------------------------------------------ executions

  /** A view opens empty, saying it loads: never with what an earlier visit showed. */
  function loading(rowsId, summaryId) {
    $(rowsId).replaceChildren();
    if (summaryId) {
      $(summaryId).textContent = 'Loading…';
    }
  }

  function openExecutions() {
    state.list.shown = null;
    loading('executions-rows', 'executions-summary');
    show('executions');
    $('filter-status').value = state.list.status;
    $('filter-search').value = state.list.search;
    $('filter-size').value = String(state.list.size);
    focusTitle('executions');
    loadExecutions();
    pollTimer = setInterval(function () { loadExecutions(true); }, POLL_MS);
  }

  function listQuery() {
    var list = state.list;
    var query = new URLSearchParams();
    query.set('limit', String(list.size));
    if (list.status) {
      query.set('status', list.status);
    }
    var search = list.search.trim();
    if (search) {
      query.set(search.indexOf('@') >= 0 ? 'parentEmail' : 'childLastName', search);
    }
    var pageToken = list.tokens[list.tokens.length - 1];
    if (pageToken) {
      query.set('nextToken', pageToken);
    }
    return query.toString();
  }

  function loadExecutions(quietly) {
    var list = state.list;
    var asked = listQuery();
    return call('GET', '/executions?' + asked, undefined, {
      400: 'The search could not be run: check the status and the search text, then try again.'
    }).then(function (page) {
      if (asked !== listQuery() || $('view-executions').hidden) {
        return; // the person changed the search or left meanwhile
      }
      renderExecutions(page);
      if (!quietly) {
        $('problem').hidden = true;
      }
    }).catch(function (failure) {
      report(failure);
    });
  }

  function renderExecutions(page) {
    var list = state.list;
    var shown = JSON.stringify(page);
    if (shown !== list.shown) {
      list.shown = shown;
      renderExecutionRows(page);
    }
    list.next = page.nextToken || null;
    var what = [];
    if (list.status) {
      what.push('status ' + list.status);
    }
    if (list.search.trim()) {
      what.push((list.search.indexOf('@') >= 0 ? 'parent e-mail ' : 'child last name ') + '"' + list.search.trim() + '"');
    }
    $('executions-summary').textContent = (page.executions.length === 0 ? 'No executions' : page.executions.length
        + (page.executions.length === 1 ? ' execution' : ' executions')) + (what.length ? ' with ' + what.join(' and ') : '')
        + ' on this page, newest first. Updated ' + new Date().toLocaleTimeString() + '.';
    $('page-number').textContent = 'Page ' + list.tokens.length;
    $('page-newer').disabled = list.tokens.length <= 1;
    $('page-older').disabled = !list.next;
  }

  /** The rows, replaced only when the page changed; a link that had the focus keeps it. */
  function renderExecutionRows(page) {
    var focused = document.activeElement && document.activeElement.closest
        ? document.activeElement.closest('#executions-rows tr') : null;
    var focusedId = focused ? focused.getAttribute('data-execution-id') : null;
    var rows = page.executions.map(function (execution) {
      return el('tr', { 'data-execution-id': execution.executionId, 'data-status': execution.status },
          el('td', null, time(execution.startedAt)),
          el('td', null, badge(execution.status)),
          el('td', null, executionLink(execution.executionId)),
          el('td', null, execution.source),
          el('td', { 'class': 'cause' }, execution.error ? [el('strong', null, execution.error),
            execution.cause ? ': ' + execution.cause : ''] : ''));
    });
    $('executions-rows').replaceChildren.apply($('executions-rows'), rows);
    if (focusedId) {
      var again = $('executions-rows').querySelector('tr[data-execution-id="' + CSS.escape(focusedId) + '"] a');
      if (again) {
        again.focus();
      }
    }
  }

  function applyFilter(event) {
    event.preventDefault();
    clearMessages();
    state.list.status = $('filter-status').value;
    state.list.search = $('filter-search').value;
    state.list.size = parseInt($('filter-size').value, 10) || 25;
    state.list.tokens = [null];
    state.list.shown = null;
    loadExecutions();
  }

  function clearFilter() {
    $('filter-status').value = '';
    $('filter-search').value = '';
    state.list.status = '';
    state.list.search = '';
    state.list.tokens = [null];
    clearMessages();
    loadExecutions();
  }

  function olderPage() {
    if (state.list.next) {
      state.list.tokens.push(state.list.next);
      loadExecutions();
    }
  }

  function newerPage() {
    if (state.list.tokens.length > 1) {
      state.list.tokens.pop();
      loadExecutions();
    }
  }

  // ------------------------------------------------------------------ one execution

  function stateMachine() {
    if (state.model) {
      return Promise.resolve(state.model);
    }
    return call('GET', '/state-machine', undefined, {
      404: 'The state machine could not be loaded: this service does not describe its workflow (GET /state-machine).'
    }).then(function (model) {
      state.model = model;
      return model;
    });
  }

  function openExecution(executionId) {
    show('execution');
    $('cancel-area').hidden = true;
    $('cancel-confirm').hidden = true;
    $('execution-title').textContent = 'Execution';
    $('execution-facts').replaceChildren();
    $('graph').replaceChildren();
    $('timeline').replaceChildren();
    $('doc-input').textContent = '';
    $('doc-output').textContent = '';
    $('graph-note').hidden = true;
    $('state-details-body').replaceChildren(el('p', { 'class': 'hint' }, 'No state selected.'));
    state.execution = null;
    state.selected = null;
    focusTitle('execution');
    loadExecution(executionId, false);
  }

  var EXECUTION_ERRORS = {
    404: 'There is no execution with this id. It may have been mistyped; go back to the executions.',
    ExecutionNotFound: 'There is no execution with this id. It may have been mistyped; go back to the executions.'
  };

  function loadExecution(executionId, quietly) {
    return Promise.all([
      call('GET', '/executions/' + encodeURIComponent(executionId), undefined, EXECUTION_ERRORS),
      call('GET', '/executions/' + encodeURIComponent(executionId) + '/history', undefined, EXECUTION_ERRORS)
    ]).then(function (answers) {
      if (currentExecutionId() !== executionId) {
        return;
      }
      var detail = answers[0];
      var history = answers[1];
      var previous = state.execution;
      var changed = !previous || previous.detail.status !== detail.status
          || previous.history.events.length !== history.events.length;
      state.execution = { detail: detail, history: history };
      if (changed) {
        renderExecution();
      }
      stopPolling();
      if (detail.status === 'RUNNING') {
        pollTimer = setInterval(function () { loadExecution(executionId, true); }, POLL_MS);
      }
    }).catch(function (failure) {
      if (!quietly || !(failure instanceof Problem) || failure.status !== 0) {
        report(failure);
      }
    });
  }

  function currentExecutionId() {
    var match = /^#\/executions\/([A-Za-z0-9-]{1,64})$/.exec(location.hash || '');
    return match ? decodeURIComponent(match[1]) : null;
  }

  function renderExecution() {
    var detail = state.execution.detail;
    var events = state.execution.history.events;
    $('execution-title').textContent = 'Execution ' + detail.executionId;
    var facts = [
      ['Status', badge(detail.status)],
      ['Started', time(detail.startedAt)],
      ['Stopped', detail.stoppedAt ? time(detail.stoppedAt) : 'not yet'],
      ['Source', detail.source]
    ];
    var child = detail.input && detail.input.registration_info && detail.input.registration_info.child;
    if (child) {
      facts.splice(1, 0, ['Child', [child.firstName, child.lastName].filter(Boolean).join(' ')]);
    }
    if (detail.error) {
      facts.push(['Error', el('strong', { id: 'execution-error' }, detail.error)]);
    }
    if (detail.cause) {
      facts.push(['Cause', el('span', { id: 'execution-cause' }, detail.cause)]);
    }
    $('execution-facts').replaceChildren.apply($('execution-facts'), [].concat.apply([], facts.map(function (fact) {
      return [el('dt', null, fact[0]), el('dd', null, fact[1])];
    })));
    $('cancel-area').hidden = !(detail.status === 'SUCCEEDED' || detail.status === 'RUNNING');
    $('cancel-confirm').hidden = true;
    $('cancel-start').hidden = false;

    $('timeline').replaceChildren.apply($('timeline'), events.map(function (event) {
      return el('li', { 'class': event.type, 'data-sequence': event.sequence },
          time(event.timestamp),
          el('span', { 'class': 'kind' }, event.type === 'ENTERED' ? 'Entered' : 'Exited'),
          el('span', { 'class': 'state-name' }, event.state),
          event.statusCode !== undefined && event.statusCode !== null ? ', statusCode ' + event.statusCode : '',
          event.detail ? ' (' + event.detail + ')' : '');
    }));
    $('doc-input').textContent = JSON.stringify(detail.input, null, 2);
    $('doc-output').textContent = detail.result ? JSON.stringify(detail.result, null, 2)
        : 'No output yet: the execution has not ended.';

    stateMachine().then(function (model) {
      if (!state.execution || state.execution.detail !== detail) {
        return;
      }
      var path = ConsoleGraph.derive(model, events, detail.status);
      state.execution.path = path;
      state.execution.model = model;
      ConsoleGraph.render($('graph'), model, path, selectState);
      if (path.unknown.length > 0) {
        $('graph-note').textContent = 'The history also names states the state machine does not draw: '
            + path.unknown.join(', ') + '.';
        $('graph-note').hidden = false;
      } else {
        $('graph-note').hidden = true;
      }
      var initial = state.selected || (detail.status !== 'SUCCEEDED' ? path.end : null);
      if (initial) {
        selectState(initial, true);
      }
    }).catch(report);
  }

  function selectState(name, quietly) {
    var execution = state.execution;
    if (!execution || !execution.model) {
      return;
    }
    state.selected = name;
    document.querySelectorAll('#graph g.state').forEach(function (node) {
      node.classList.toggle('selected', node.getAttribute('data-state') === name);
    });
    var modelState = execution.model.states.filter(function (each) { return each.name === name; })[0];
    var status = execution.path.status.get(name) || 'none';
    var body = [el('p', { id: 'selected-state' }, el('strong', null, name), ', ' + ConsoleGraph.describeType(modelState.type)
        + ': ' + ConsoleGraph.describeStatus(status) + '.')];

    if (modelState.type === 'fail') {
      body.push(el('p', null, 'Ends with error ', el('strong', null, modelState.error || ''),
          modelState.cause ? ': ' + modelState.cause : ''));
      if (status === 'failed' || status === 'cancelled') {
        body.push(el('p', { id: 'selected-outcome' }, 'This execution: ', el('strong', null,
            execution.detail.error || execution.detail.status), execution.detail.cause ? ': ' + execution.detail.cause : ''));
      }
    }
    if (modelState.type === 'choice') {
      var ways = execution.model.transitions.filter(function (transition) {
        return transition.from === name && execution.path.taken.has(name + ConsoleGraph.EDGE + transition.to);
      });
      body.push(el('p', null, 'A choice is not recorded in the history. '
          + (ways.length ? 'Taken: ' + ways.map(function (way) {
            return 'to ' + way.to + (way.condition ? ' (' + way.condition + ')' : '');
          }).join('; ') + '.' : 'This execution did not go through it.')));
    } else {
      var events = execution.history.events.filter(function (event) { return event.state === name; });
      if (events.length === 0) {
        body.push(el('p', null, 'This execution did not enter this state.'));
      } else {
        body.push(el('table', { 'class': 'state-events' },
            el('thead', null, el('tr', null, el('th', { scope: 'col' }, 'Event'), el('th', { scope: 'col' }, 'Time'),
                el('th', { scope: 'col' }, 'statusCode'), el('th', { scope: 'col' }, 'Detail'))),
            el('tbody', null, events.map(function (event) {
              return el('tr', null, el('td', null, event.type === 'ENTERED' ? 'Entered' : 'Exited'),
                  el('td', null, time(event.timestamp)),
                  el('td', { 'class': 'status-code' }, event.statusCode !== undefined && event.statusCode !== null
                      ? String(event.statusCode) : ''),
                  el('td', null, event.detail || ''));
            }))));
      }
    }
    $('state-details-body').replaceChildren.apply($('state-details-body'), body);
    if (!quietly) {
      $('state-details').scrollIntoView({ block: 'nearest' });
    }
  }

  function cancelExecution() {
    var execution = state.execution;
    if (!execution) {
      return;
    }
    var executionId = execution.detail.executionId;
    $('cancel-yes').disabled = true;
    call('POST', '/executions/' + encodeURIComponent(executionId) + '/cancel', undefined, {
      404: EXECUTION_ERRORS[404],
      NotCancellable: 'This registration cannot be cancelled: it already failed or was cancelled, or it was decided a'
          + ' moment ago. The page now shows where it stands.'
    }).then(function (answer) {
      showNotice('The registration was cancelled (' + answer.status + ').');
    }, function (failure) {
      report(failure);
    }).then(function () {
      $('cancel-yes').disabled = false;
      state.execution = null;
      return loadExecution(executionId, false);
    }).then(function () {
      $('cancel-start').focus();
    });
  }

  // ------------------------------------------------------------------ approvals

  function openApprovals() {
    loading('approvals-rows', 'approvals-summary');
    show('approvals');
    focusTitle('approvals');
    loadApprovals();
  }

  function loadApprovals() {
    return call('GET', '/approvals').then(function (queue) {
      if (!token()) {
        return; // signed out meanwhile: nothing of it is shown again
      }
      var rows = [];
      queue.approvals.forEach(function (item) {
        var childName = [item.childFirstName, item.childLastName].filter(Boolean).join(' ');
        var approve = el('button', { type: 'button', 'class': 'approve', 'aria-label': 'Approve ' + childName }, 'Approve');
        var reject = el('button', { type: 'button', 'class': 'reject secondary', 'aria-label': 'Reject ' + childName,
          'aria-expanded': 'false' }, 'Reject');
        var open = executionLink(item.executionId, 'Open');
        open.setAttribute('aria-label', 'Open the registration of ' + childName);
        var cell = el('td', { 'class': 'actions' }, approve, reject, open);
        approve.addEventListener('click', function () { decide(item, childName, 'approve'); });
        reject.addEventListener('click', function () { openRejection(item, childName, cell, reject); });
        rows.push(el('tr', { 'data-execution-id': item.executionId },
            el('td', null, time(item.since)),
            el('td', null, time(item.deadline)),
            el('td', { 'class': 'child' }, childName),
            el('td', null, item.childAge === undefined || item.childAge === null ? '' : String(item.childAge)),
            el('td', null, (item.daysOfWeek || []).join(', ')),
            el('td', { 'class': 'instructions' }, item.specialInstructions || ''),
            cell));
      });
      $('approvals-rows').replaceChildren.apply($('approvals-rows'), rows);
      $('approvals-summary').textContent = queue.approvals.length === 0 ? 'Nothing awaits approval.'
          : queue.approvals.length + (queue.approvals.length === 1 ? ' registration awaits' : ' registrations await')
          + ' approval.';
    }).catch(report);
  }

  function openRejection(item, childName, cell, rejectButton) {
    if (cell.querySelector('form')) {
      cell.querySelector('textarea').focus();
      return;
    }
    var fieldId = 'reason-' + item.executionId;
    var reason = el('textarea', { id: fieldId, maxlength: 500, required: true });
    var form = el('form', { 'class': 'reject-form', novalidate: true },
        el('label', { 'for': fieldId }, 'Reason for rejecting ' + childName + ' (the family is told)'),
        reason,
        el('div', null, el('button', { type: 'submit', 'class': 'danger confirm-reject' }, 'Reject registration'), ' ',
            el('button', { type: 'button', 'class': 'secondary keep' }, 'Keep waiting')));
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var text = reason.value.trim();
      if (!text) {
        clearMessages();
        showProblem('A reason is required to reject a registration: write why, then press Reject registration.');
        reason.focus();
        return;
      }
      decide(item, childName, 'reject', text);
    });
    form.querySelector('.keep').addEventListener('click', function () {
      form.remove();
      rejectButton.setAttribute('aria-expanded', 'false');
      rejectButton.focus();
    });
    cell.appendChild(form);
    rejectButton.setAttribute('aria-expanded', 'true');
    reason.focus();
  }

  function decide(item, childName, action, reason) {
    clearMessages();
    document.querySelectorAll('#approvals-rows button').forEach(function (button) { button.disabled = true; });
    call('POST', '/executions/' + encodeURIComponent(item.executionId) + '/' + action,
        action === 'reject' ? { reason: reason } : undefined, {
          404: EXECUTION_ERRORS[404],
          400: 'The reason was not accepted: write at most 500 characters, without control characters.',
          NotAwaitingApproval: 'This registration no longer awaits approval: someone decided it, it timed out or the'
              + ' family cancelled it. The list now shows what still waits.'
        }).then(function (answer) {
      if (action === 'approve') {
        showNotice('Approved ' + childName + ': the registration is now ' + answer.status
            + (answer.error ? ' (' + answer.error + ')' : '') + '.');
      } else {
        showNotice('Rejected ' + childName + ': the registration is now ' + answer.status + ' ('
            + (answer.error || '') + ').');
      }
    }, report).then(function () {
      return loadApprovals();
    }).then(function () {
      focusTitle('approvals');
    });
  }

  // ------------------------------------------------------------------ waitlist

  function openWaitlist() {
    loading('waitlist-rows', 'waitlist-summary');
    show('waitlist');
    focusTitle('waitlist');
    loadWaitlist();
  }

  function loadWaitlist() {
    var offset = state.waitlistOffset;
    return call('GET', '/waitlist?limit=' + state.waitlistPage + '&offset=' + offset).then(function (page) {
      if (!token()) {
        return; // signed out meanwhile: nothing of it is shown again
      }
      var rows = page.waitlist.map(function (entry) {
        return el('tr', { 'data-execution-id': entry.executionId, 'data-position': entry.position },
            el('td', { 'class': 'position' }, String(entry.position)),
            el('td', null, time(entry.since)),
            el('td', null, (entry.days || []).join(', ')),
            el('td', null, executionLink(entry.executionId)));
      });
      $('waitlist-rows').replaceChildren.apply($('waitlist-rows'), rows);
      $('waitlist-summary').textContent = page.length === 0 ? 'Nobody is on the waitlist.'
          : (page.length === 1 ? '1 registration waits' : page.length + ' registrations wait')
          + (rows.length < page.length ? '; showing positions ' + (offset + 1) + ' to ' + (offset + rows.length) : '') + '.';
      $('waitlist-previous').disabled = offset === 0;
      $('waitlist-next').disabled = offset + rows.length >= page.length;
    }).catch(report);
  }

  // ------------------------------------------------------------------ capacity

  function openCapacity() {
    loading('capacity-rows');
    show('capacity');
    focusTitle('capacity');
    loadCapacity();
  }

  function loadCapacity() {
    return call('GET', '/capacity').then(function (capacity) {
      if (!token()) {
        return; // signed out meanwhile: nothing of it is shown again
      }
      var rows = capacity.days.map(function (day) {
        var inputId = 'total-' + day.day;
        var input = el('input', { id: inputId, type: 'number', min: 0, max: 100000, step: 1, value: day.total,
          inputmode: 'numeric', 'aria-label': 'Total spots on ' + day.day });
        var save = el('button', { type: 'button', 'class': 'save', 'aria-label': 'Save the total of ' + day.day }, 'Save');
        save.addEventListener('click', function () { changeTotal(day.day, input); });
        input.addEventListener('keydown', function (event) {
          if (event.key === 'Enter') {
            event.preventDefault();
            changeTotal(day.day, input);
          }
        });
        return el('tr', { 'data-day': day.day },
            el('th', { scope: 'row' }, day.day),
            el('td', null, input),
            el('td', { 'class': 'reserved' }, String(day.reserved)),
            el('td', { 'class': 'free' }, String(day.free)),
            el('td', null, save));
      });
      $('capacity-rows').replaceChildren.apply($('capacity-rows'), rows);
    }).catch(report);
  }

  function changeTotal(day, input) {
    clearMessages();
    var total = Number(input.value);
    if (input.value.trim() === '' || !Number.isInteger(total) || total < 0 || total > 100000) {
      showProblem('Enter the total for ' + day + ' as a whole number from 0 to 100,000.');
      input.focus();
      return;
    }
    call('PUT', '/capacity/' + encodeURIComponent(day), { total: total }, {
      400: 'Enter the total for ' + day + ' as a whole number from 0 to 100,000.',
      404: day + ' is not an opening day of the daycare.',
      BelowReserved: 'The total of ' + day + ' cannot go below the spots already reserved that day. Cancel'
          + ' registrations first, or choose a larger total.'
    }).then(function (change) {
      var promoted = change.promoted || [];
      showNotice(change.day + ': ' + change.total + ' spots in total, ' + change.reserved + ' reserved, ' + change.free
          + ' free.' + (promoted.length === 0 ? '' : ' ' + promoted.length + (promoted.length === 1
              ? ' registration was' : ' registrations were') + ' taken off the waitlist.'));
    }, report).then(function () {
      return loadCapacity();
    }).then(function () {
      var again = $('total-' + day);
      if (again) {
        again.focus();
      }
    });
  }

  // ------------------------------------------------------------------ wiring

  document.addEventListener('DOMContentLoaded', function () {
    $('sign-in-form').addEventListener('submit', signIn);
    $('sign-out').addEventListener('click', function () {
      signOut(null);
      showNotice('You are signed out. The token was forgotten.');
    });
    $('executions-filter').addEventListener('submit', applyFilter);
    $('filter-clear').addEventListener('click', clearFilter);
    $('page-older').addEventListener('click', olderPage);
    $('page-newer').addEventListener('click', newerPage);
    $('cancel-start').addEventListener('click', function () {
      $('cancel-confirm').hidden = false;
      $('cancel-start').hidden = true;
      $('cancel-no').focus();
    });
    $('cancel-no').addEventListener('click', function () {
      $('cancel-confirm').hidden = true;
      $('cancel-start').hidden = false;
      $('cancel-start').focus();
    });
    $('cancel-yes').addEventListener('click', cancelExecution);
    $('approvals-refresh').addEventListener('click', function () { clearMessages(); loadApprovals(); });
    $('waitlist-refresh').addEventListener('click', function () { clearMessages(); loadWaitlist(); });
    $('waitlist-previous').addEventListener('click', function () {
      state.waitlistOffset = Math.max(0, state.waitlistOffset - state.waitlistPage);
      loadWaitlist();
    });
    $('waitlist-next').addEventListener('click', function () {
      state.waitlistOffset += state.waitlistPage;
      loadWaitlist();
    });
    window.addEventListener('hashchange', route);
    route();
  });
}());
