// Pure functions behind the browser's own verdict on a run. They do not touch the DOM.

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const utf8Encoder = new TextEncoder();

/**
 * Hashes the UTF-8 bytes of a string with 32-bit FNV-1a and returns 8 lowercase hex digits.
 * The server hashes the content it sent the same way, so equal hashes mean an intact payload.
 * An empty or absent string hashes to "811c9dc5", the offset basis.
 */
export function fnv1aHex(text) {
  let hash = FNV_OFFSET_BASIS;
  if (text) {
    const bytes = utf8Encoder.encode(text);
    for (let i = 0; i < bytes.length; i++) {
      hash ^= bytes[i];
      hash = Math.imul(hash, FNV_PRIME);
    }
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * Computes the browser's verdict from the arrivals of one run.
 *
 * `arrivals` are in arrival order, each with a `sequenceId`. `expected` is the number of events
 * emitted, whose sequence ids are 1..expected. An arrival is out of order when its sequence id is
 * not greater than the one that arrived before it, so a duplicate also breaks the order but a
 * missing event does not. `duplicateIds` lists each id that arrived more than once, and
 * `duplicateCount` is its length, as in the server's report. `unexpectedIds` lists ids outside
 * 1..expected. Id lists are ascending.
 */
export function computeClientVerdict(arrivals, expected) {
  const arrivalCounts = new Map();
  const arrivalOrder = [];
  let inOrder = true;
  let previousId = 0;

  for (const arrival of arrivals) {
    const id = arrival.sequenceId;
    arrivalOrder.push(id);
    arrivalCounts.set(id, (arrivalCounts.get(id) || 0) + 1);
    if (id <= previousId) {
      inOrder = false;
    }
    previousId = id;
  }

  const missingIds = [];
  for (let id = 1; id <= expected; id++) {
    if (!arrivalCounts.has(id)) {
      missingIds.push(id);
    }
  }

  const duplicateIds = [];
  const unexpectedIds = [];
  for (const [id, count] of arrivalCounts) {
    if (id < 1 || id > expected) {
      unexpectedIds.push(id);
    } else if (count > 1) {
      duplicateIds.push(id);
    }
  }
  duplicateIds.sort((a, b) => a - b);
  unexpectedIds.sort((a, b) => a - b);

  return {
    expected,
    received: arrivals.length,
    missingCount: missingIds.length,
    missingIds,
    duplicateCount: duplicateIds.length,
    duplicateIds,
    unexpectedIds,
    inOrder,
    arrivalOrder,
  };
}

/**
 * Lists the fields on which the browser's verdict and the server's report differ. An empty list
 * means they agree. Id lists are compared as sets, because the report lists duplicate ids in the
 * order in which they were first repeated.
 */
export function findVerdictDifferences(client, report) {
  const differences = [];
  const scalarFields = ['expected', 'received', 'missingCount', 'duplicateCount', 'inOrder'];
  for (const field of scalarFields) {
    if (client[field] !== report[field]) {
      differences.push(field);
    }
  }
  if (!sameIdSet(client.missingIds, report.missingIds)) {
    differences.push('missingIds');
  }
  if (!sameIdSet(client.duplicateIds, report.duplicateIds)) {
    differences.push('duplicateIds');
  }
  if (!sameIdSet(client.unexpectedIds, report.unexpectedIds)) {
    differences.push('unexpectedIds');
  }
  if (!sameSequence(client.arrivalOrder, report.arrivalOrder)) {
    differences.push('arrivalOrder');
  }
  return differences;
}

function sameIdSet(left, right) {
  if (!Array.isArray(left) || !Array.isArray(right)) {
    return false;
  }
  const sortedLeft = [...new Set(left)].sort((a, b) => a - b);
  const sortedRight = [...new Set(right)].sort((a, b) => a - b);
  return sameSequence(sortedLeft, sortedRight);
}

function sameSequence(left, right) {
  if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) {
    return false;
  }
  return left.every((value, index) => value === right[index]);
}

/**
 * Formats ids compactly in their given order: a run of consecutive ascending ids becomes
 * "first–last", so a clean run of 101 events reads "1–101". Returns "none" for an empty list.
 */
export function formatIdRanges(ids) {
  if (!Array.isArray(ids) || ids.length === 0) {
    return 'none';
  }
  const parts = [];
  let first = ids[0];
  let last = ids[0];
  for (let i = 1; i < ids.length; i++) {
    if (ids[i] === last + 1) {
      last = ids[i];
      continue;
    }
    parts.push(formatRange(first, last));
    first = ids[i];
    last = ids[i];
  }
  parts.push(formatRange(first, last));
  return parts.join(', ');
}

function formatRange(first, last) {
  if (first === last) {
    return String(first);
  }
  if (last === first + 1) {
    return first + ', ' + last;
  }
  return first + '–' + last;
}
