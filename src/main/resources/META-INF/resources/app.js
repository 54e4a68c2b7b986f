// Orderly delivery test page: subscribes to a new channel, requests a numbered run of emits on it,
// then shows the browser's verdict beside the server's report of what arrived.
// Received data is inserted only with textContent.

import { drawArrivalChart } from './chart.js';
import { clearResults, describeArrivals, renderClientVerdict, renderEventsTable, renderServerReport } from './results.js';
import { computeClientVerdict, fnv1aHex } from './verdict.js';

// How long to wait for the stream's first `ready` frame before giving up on the run.
const READY_TIMEOUT_MS = 10000;
// How long to wait for the `complete` event after the emit request has returned.
const COMPLETE_TIMEOUT_MS = 10000;
// Notices beyond this many are counted, not listed, so a flapping connection cannot flood the page.
const MAX_NOTICES = 200;

const PARAMETER_FIELDS = [
  { key: 'count', id: 'count', label: 'Number of events' },
  { key: 'minSize', id: 'min-size', label: 'Minimum size' },
  { key: 'maxSize', id: 'max-size', label: 'Maximum size' },
  { key: 'delayMs', id: 'delay-ms', label: 'Delay between emits' },
];

const byId = (id) => document.getElementById(id);

let noticeCount = 0;
let lastChart = null;
let progressFrameRequested = false;

byId('run-form').addEventListener('submit', (event) => {
  event.preventDefault();
  runTest();
});

window.addEventListener('resize', () => {
  if (lastChart) {
    drawArrivalChart(byId('chart'), lastChart.sequenceIds, lastChart.expected);
  }
});

async function runTest() {
  let parameters;
  try {
    parameters = readParameters();
  } catch (error) {
    showError(error.message);
    return;
  }

  const run = createRun(parameters);
  resetPage(run);
  setStatus('Running…');
  byId('run-button').disabled = true;
  try {
    await waitForReady(run);
    run.emitResult = await postJson('/api/test-realtime', {
      channelId: run.channelId,
      count: parameters.count,
      minSize: parameters.minSize,
      maxSize: parameters.maxSize,
      delayMs: parameters.delayMs,
    }, 'The server rejected the run', run.accessToken);
    run.expected = run.emitResult.count + 1;
    byId('run-id').textContent = run.emitResult.runId;
    renderProgress(run);

    await waitForEndOfStream(run);
    run.source.close();
    const verdict = computeClientVerdict(run.arrivals, run.expected);
    renderProgress(run);
    renderClientVerdict(verdict);
    drawChart(verdict.arrivalOrder, run.expected);
    renderEventsTable(describeArrivals(run.arrivals, run.emitResult.sizes || []));

    const report = await postJson('/api/reports', {
      runId: run.emitResult.runId,
      arrivals: run.arrivals,
    }, 'The server could not compute the report', run.accessToken);
    renderServerReport(report, verdict);
    renderEventsTable(report.events);
    setStatus('Done');
  } catch (error) {
    if (run.source) {
      run.source.close();
    }
    showError(error.message);
    setStatus('Failed');
  } finally {
    byId('run-button').disabled = false;
  }
}

function readParameters() {
  const parameters = {};
  for (const field of PARAMETER_FIELDS) {
    const text = byId(field.id).value.trim();
    const value = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
      throw new Error(field.label + ' is invalid: "' + text + '" is not a whole number. Enter 0 or more.');
    }
    parameters[field.key] = value;
  }
  return parameters;
}

function createRun(parameters) {
  const channelId = randomHex(8);
  return {
    channelId,
    channel: 'generate:' + channelId,
    // Sent only when given: as the access_token query parameter on the stream, which EventSource
    // cannot send headers for, and as an Authorization header on the POSTs.
    accessToken: byId('access-token').value.trim(),
    expected: parameters.count + 1,
    arrivals: [],
    lastEventId: '',
    startedAt: performance.now(),
    source: null,
    emitResult: null,
    ready: deferred(),
    endOfStream: deferred(),
    readyCount: 0,
  };
}

// crypto.getRandomValues works on plain-http origins, unlike crypto.randomUUID and crypto.subtle.
function randomHex(byteCount) {
  const bytes = new Uint8Array(byteCount);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function deferred() {
  const result = {};
  result.promise = new Promise((resolve, reject) => {
    result.resolve = resolve;
    result.reject = reject;
  });
  return result;
}

// Opens the EventSource and resolves on the first `ready` frame. The server sends it once Redis has
// confirmed the subscription, and guarantees delivery of every event emitted after it.
async function waitForReady(run) {
  let url = '/api/realtime?channel=' + encodeURIComponent(run.channel);
  if (run.accessToken) {
    url += '&access_token=' + encodeURIComponent(run.accessToken);
  }
  const source = new EventSource(url);
  run.source = source;
  run.streamUrl = url;
  source.onmessage = (event) => handleDataFrame(run, event);
  source.addEventListener('ready', (event) => handleReady(run, event));
  source.addEventListener('gap', (event) => handleGap(event));
  source.addEventListener('reset', (event) => handleReset(event));
  source.addEventListener('error', (event) => handleError(run, event));

  const timeout = setTimeout(() => {
    run.ready.reject(new Error('Timed out after ' + READY_TIMEOUT_MS / 1000
      + ' s waiting for the ready frame on ' + run.channel + '. Check that the server reaches Redis'
      + ' (/q/health/ready).'));
  }, READY_TIMEOUT_MS);
  try {
    await run.ready.promise;
  } finally {
    clearTimeout(timeout);
  }
}

// Resolves with "complete", "closed" (the browser gave up reconnecting) or "timeout".
async function waitForEndOfStream(run) {
  let timeout;
  const timedOut = new Promise((resolve) => {
    timeout = setTimeout(() => resolve('timeout'), COMPLETE_TIMEOUT_MS);
  });
  const reason = await Promise.race([run.endOfStream.promise, timedOut]);
  clearTimeout(timeout);
  if (reason === 'timeout') {
    addNotice('error', 'The complete event did not arrive within ' + COMPLETE_TIMEOUT_MS / 1000
      + ' s after the emit request returned, so the run finished without it.');
  }
  return reason;
}

function handleDataFrame(run, event) {
  let frame;
  try {
    frame = JSON.parse(event.data);
  } catch (error) {
    addNotice('error', 'Ignored a data frame that is not valid JSON (last event id '
      + event.lastEventId + '): ' + error.message);
    return;
  }
  const payload = frame && frame.data;
  const body = payload && payload.data;
  if (!body || !Number.isInteger(body.sequenceId)) {
    addNotice('error', 'Ignored a data frame without a sequence id: event ' + frame.event
      + ', offset ' + frame.offset + '.');
    return;
  }

  // NOTE: size is content.length, which counts UTF-16 code units, as Java's String.length() does.
  const content = typeof body.content === 'string' ? body.content : '';
  run.arrivals.push({
    sequenceId: body.sequenceId,
    type: payload.type,
    size: content.length,
    hash: fnv1aHex(content),
  });
  run.lastEventId = event.lastEventId;
  if (payload.type === 'complete') {
    run.endOfStream.resolve('complete');
  }
  scheduleProgressRender(run);
}

function handleReady(run, event) {
  run.readyCount++;
  run.lastEventId = event.lastEventId || run.lastEventId;
  scheduleProgressRender(run);
  if (run.readyCount === 1) {
    run.ready.resolve();
    return;
  }
  const positions = parseFrame(event).channels || [];
  const described = positions
    .map((position) => position.channel + ' at offset ' + position.offset + ' (epoch ' + position.epoch + ')')
    .join(', ');
  addNotice('info', 'Reconnected and subscribed again: ' + (described || 'no channel positions given') + '.');
}

function handleGap(event) {
  const gap = parseFrame(event);
  addNotice('error', 'Gap on ' + gap.channel + ': offsets ' + gap.fromOffset + ' to ' + gap.toOffset
    + ' can no longer be delivered (' + gap.reason + ').');
}

function handleReset(event) {
  const reset = parseFrame(event);
  addNotice('error', 'Reset on ' + reset.channel + ': its history was lost, epoch ' + reset.previousEpoch
    + ' was replaced by ' + reset.epoch + '.');
}

// The `error` listener receives two different things: the server's named error frame (a
// MessageEvent with data) and the browser's own connection errors (a plain Event without data).
function handleError(run, event) {
  if (typeof event.data === 'string') {
    const frame = parseFrame(event);
    addNotice('error', 'The server closed the stream: ' + frame.reason + ' (cursor ' + frame.cursor + ').');
    return;
  }
  if (run.source.readyState === EventSource.CLOSED) {
    addNotice('error', 'The event stream failed and the browser will not reconnect.');
    describeStreamFailure(run.streamUrl).then((reason) => {
      run.ready.reject(new Error('Failed to open the event stream for ' + run.channel + ': ' + reason));
    });
    run.endOfStream.resolve('closed');
    return;
  }
  addNotice('info', 'Connection lost, so the browser reconnects and resumes after last event id '
    + (run.lastEventId || '(none yet)') + '.');
}

// EventSource does not expose why it failed, so the same request is sent again with fetch to read
// the server's status and problem detail. A stream that opens this time is closed at once.
async function describeStreamFailure(url) {
  const controller = new AbortController();
  try {
    const response = await fetch(url, { headers: { Accept: 'text/event-stream' }, signal: controller.signal });
    if (response.ok) {
      controller.abort();
      return 'the connection failed, but a second attempt succeeded; see the browser\'s network log';
    }
    return 'HTTP ' + response.status + ': ' + await readProblemDetail(response);
  } catch (error) {
    return 'the server could not be reached (' + error.message + ')';
  }
}

function parseFrame(event) {
  try {
    return JSON.parse(event.data) || {};
  } catch (error) {
    addNotice('error', 'A ' + event.type + ' frame is not valid JSON: ' + error.message);
    return {};
  }
}

// Sends a JSON POST, with the access token when there is one, and returns the parsed JSON body, or
// throws with the server's `detail`.
async function postJson(path, body, failurePrefix, accessToken) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (accessToken) {
    headers.Authorization = 'Bearer ' + accessToken;
  }
  const response = await fetch(path, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  if (response.ok) {
    return response.json();
  }
  throw new Error(failurePrefix + ' (HTTP ' + response.status + '): ' + await readProblemDetail(response));
}

async function readProblemDetail(response) {
  const text = await response.text();
  try {
    const problem = JSON.parse(text);
    return problem.detail || problem.title || text;
  } catch (error) {
    return text || response.statusText || 'no message';
  }
}

function resetPage(run) {
  noticeCount = 0;
  lastChart = null;
  byId('error').hidden = true;
  byId('error').textContent = '';
  byId('channel').textContent = run.channel;
  byId('run-id').textContent = '—';
  byId('last-event-id').textContent = '—';
  const notices = byId('notices');
  notices.replaceChildren(listItem('None.', 'notice-empty'));
  clearResults();
  const chart = byId('chart');
  chart.getContext('2d').clearRect(0, 0, chart.width, chart.height);
  renderProgress(run);
}

function setStatus(text) {
  byId('status').textContent = text;
}

function showError(message) {
  const error = byId('error');
  error.textContent = message;
  error.hidden = false;
}

function addNotice(kind, text) {
  const notices = byId('notices');
  if (noticeCount === 0) {
    notices.replaceChildren();
  }
  noticeCount++;
  if (noticeCount <= MAX_NOTICES) {
    const time = new Date().toLocaleTimeString();
    notices.append(listItem(time + ' ' + text, 'notice-' + kind));
    return;
  }
  let overflow = byId('notice-overflow');
  if (!overflow) {
    overflow = listItem('', 'notice-info');
    overflow.id = 'notice-overflow';
    notices.append(overflow);
  }
  overflow.textContent = (noticeCount - MAX_NOTICES) + ' more notices not listed.';
}

function listItem(text, className) {
  const item = document.createElement('li');
  item.className = className;
  item.textContent = text;
  return item;
}

// Updates the progress at most once per animation frame, however fast events arrive.
function scheduleProgressRender(run) {
  if (progressFrameRequested) {
    return;
  }
  progressFrameRequested = true;
  requestAnimationFrame(() => {
    progressFrameRequested = false;
    renderProgress(run);
  });
}

function renderProgress(run) {
  const progress = byId('progress');
  progress.max = run.expected;
  progress.value = Math.min(run.arrivals.length, run.expected);
  const seconds = ((performance.now() - run.startedAt) / 1000).toFixed(1);
  byId('progress-text').textContent = run.arrivals.length + ' of ' + run.expected
    + ' events received after ' + seconds + ' s';
  byId('last-event-id').textContent = run.lastEventId || '—';
}

function drawChart(sequenceIds, expected) {
  lastChart = { sequenceIds, expected };
  drawArrivalChart(byId('chart'), sequenceIds, expected);
}

