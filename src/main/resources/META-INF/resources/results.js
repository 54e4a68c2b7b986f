// Renders a finished run's verdicts and per-event table. Received data is inserted only with
// textContent.

import { findVerdictDifferences, formatIdRanges } from './verdict.js';

const byId = (id) => document.getElementById(id);

/** Empties every verdict cell, the arrival order and the events table before a new run. */
export function clearResults() {
  for (const cell of document.querySelectorAll('.verdicts td[id], #verdicts-agree')) {
    cell.textContent = '—';
    cell.className = '';
  }
  byId('verdict-differences').textContent = '';
  byId('verdict').hidden = true;
  byId('arrival-order').textContent = '—';
  byId('events-table').tBodies[0].replaceChildren();
}

export function renderClientVerdict(verdict) {
  setCell('client-expected', verdict.expected);
  setCell('client-received', verdict.received, verdict.received === verdict.expected);
  setCell('client-missing', verdict.missingCount, verdict.missingCount === 0);
  setCell('client-missing-ids', formatIdRanges(verdict.missingIds));
  setCell('client-duplicates', verdict.duplicateCount, verdict.duplicateCount === 0);
  setCell('client-duplicate-ids', formatIdRanges(verdict.duplicateIds));
  setCell('client-unexpected-ids', formatIdRanges(verdict.unexpectedIds));
  setCell('client-in-order', yesNo(verdict.inOrder), verdict.inOrder);
  byId('arrival-order').textContent = formatIdRanges(verdict.arrivalOrder);
}

/** Fills the server column from the report and states whether it agrees with the browser's verdict. */
export function renderServerReport(report, clientVerdict) {
  setCell('server-expected', report.expected);
  setCell('server-received', report.received, report.received === report.expected);
  setCell('server-missing', report.missingCount, report.missingCount === 0);
  setCell('server-missing-ids', formatIdRanges(report.missingIds));
  setCell('server-duplicates', report.duplicateCount, report.duplicateCount === 0);
  setCell('server-duplicate-ids', formatIdRanges(report.duplicateIds));
  setCell('server-unexpected-ids', formatIdRanges(report.unexpectedIds));
  setCell('server-in-order', yesNo(report.inOrder), report.inOrder);
  setCell('server-payload-mismatches', report.payloadMismatchCount, report.payloadMismatchCount === 0);
  setCell('server-clean', yesNo(report.clean), report.clean);

  const differences = findVerdictDifferences(clientVerdict, report);
  renderVerdict(report, differences.length === 0);
  setCell('verdicts-agree', yesNo(differences.length === 0), differences.length === 0);
  byId('verdict-differences').textContent = differences.length === 0
    ? ''
    : '(they differ on ' + differences.join(', ') + ')';
}

// States the outcome in one sentence above the table, so a reader need not scan every row.
function renderVerdict(report, agree) {
  const verdict = byId('verdict');
  const passed = report.clean && agree;
  verdict.textContent = passed
    ? 'Pass: all ' + report.expected + ' events arrived exactly once, in order, with intact payloads.'
    : 'Fail: ' + describeFailure(report, agree) + '.';
  verdict.className = 'verdict ' + (passed ? 'good' : 'bad');
  verdict.hidden = false;
}

function describeFailure(report, agree) {
  const problems = [];
  if (report.missingCount > 0) {
    problems.push(report.missingCount + ' missing');
  }
  if (report.duplicateCount > 0) {
    problems.push(report.duplicateCount + ' duplicated');
  }
  if (!report.inOrder) {
    problems.push('out of order');
  }
  if (report.payloadMismatchCount > 0) {
    problems.push(report.payloadMismatchCount + ' altered');
  }
  if (report.unexpectedIds && report.unexpectedIds.length > 0) {
    problems.push(report.unexpectedIds.length + ' unexpected');
  }
  if (!agree) {
    problems.push('browser and server disagree');
  }
  return problems.length > 0 ? problems.join(', ') : 'the server did not report a clean run';
}

// Sets a cell's text. When `good` is given, the cell is coloured as a pass (true) or a failure (false).
function setCell(id, value, good) {
  const cell = byId(id);
  cell.textContent = String(value);
  cell.className = good === undefined ? '' : (good ? 'good' : 'bad');
}

function yesNo(flag) {
  return flag ? 'yes' : 'no';
}

/**
 * Builds table rows from the browser's side alone, shown until the server's report replaces them.
 * The sent size comes from the emit response, and only the server can tell whether a payload matches.
 */
export function describeArrivals(arrivals, sentSizes) {
  return arrivals.map((arrival, index) => ({
    arrival: index + 1,
    sequenceId: arrival.sequenceId,
    type: arrival.type,
    sentSize: arrival.type === 'content' ? sentSizes[arrival.sequenceId - 1] : null,
    receivedSize: arrival.size,
    payloadMatch: null,
  }));
}

/** Replaces the table body with one row per event. A missing event shows "missing" as its arrival. */
export function renderEventsTable(events) {
  const rows = document.createDocumentFragment();
  for (const event of events || []) {
    const row = document.createElement('tr');
    if (event.arrival === null || event.arrival === undefined) {
      row.className = 'missing';
    } else if (event.payloadMatch === false) {
      row.className = 'mismatch';
    }
    appendCells(row, [
      event.arrival ?? 'missing',
      event.sequenceId,
      event.type ?? '—',
      event.sentSize ?? '—',
      event.receivedSize ?? '—',
      event.payloadMatch === null || event.payloadMatch === undefined ? '—' : yesNo(event.payloadMatch),
    ]);
    rows.append(row);
  }
  byId('events-table').tBodies[0].replaceChildren(rows);
}

function appendCells(row, values) {
  for (const value of values) {
    const cell = document.createElement('td');
    cell.textContent = String(value);
    row.append(cell);
  }
}
