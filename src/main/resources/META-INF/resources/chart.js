// Canvas chart of arrival index (x) against sequence id (y).

const MARGIN = { top: 12, right: 16, bottom: 44, left: 64 };
const AXIS_COLOR = '#444';
const REFERENCE_COLOR = '#bbb';
const IN_ORDER_COLOR = '#1f5fbf';
const OUT_OF_ORDER_COLOR = '#c62828';
const LABEL_FONT = '12px system-ui, sans-serif';

/**
 * Draws one dot per arrival at (arrival index, sequence id) on the canvas, sized to the canvas's
 * CSS box and the screen's pixel ratio. The grey diagonal is where a clean run's dots lie. A dot
 * is red when its sequence id is not greater than the previous arrival's, i.e. it arrived late or
 * twice. `expected` sets the axis range so that missing events leave visible room.
 */
export function drawArrivalChart(canvas, sequenceIds, expected) {
  const context = prepareCanvas(canvas);
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;

  const maxArrival = Math.max(sequenceIds.length, expected, 2);
  const maxSequenceId = Math.max(expected, 2, largestValue(sequenceIds));
  const xFor = (arrival) => MARGIN.left + ((arrival - 1) / (maxArrival - 1)) * plotWidth;
  const yFor = (sequenceId) => MARGIN.top + plotHeight - ((sequenceId - 1) / (maxSequenceId - 1)) * plotHeight;

  drawAxes(context, width, height, plotWidth, plotHeight, maxArrival, maxSequenceId);

  context.strokeStyle = REFERENCE_COLOR;
  context.setLineDash([4, 4]);
  context.beginPath();
  context.moveTo(xFor(1), yFor(1));
  context.lineTo(xFor(expected), yFor(expected));
  context.stroke();
  context.setLineDash([]);

  const dotSize = sequenceIds.length > 1000 ? 2 : 4;
  let previousId = 0;
  sequenceIds.forEach((sequenceId, index) => {
    context.fillStyle = sequenceId > previousId ? IN_ORDER_COLOR : OUT_OF_ORDER_COLOR;
    const x = xFor(index + 1);
    const y = yFor(Math.max(sequenceId, 1));
    context.fillRect(x - dotSize / 2, y - dotSize / 2, dotSize, dotSize);
    previousId = sequenceId;
  });
}

// A loop instead of Math.max(...values), which can exceed the engine's argument count limit.
function largestValue(values) {
  let largest = 0;
  for (const value of values) {
    if (value > largest) {
      largest = value;
    }
  }
  return largest;
}

function prepareCanvas(canvas) {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(canvas.clientWidth * ratio);
  canvas.height = Math.round(canvas.clientHeight * ratio);
  const context = canvas.getContext('2d');
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, canvas.clientWidth, canvas.clientHeight);
  return context;
}

function drawAxes(context, width, height, plotWidth, plotHeight, maxArrival, maxSequenceId) {
  const left = MARGIN.left;
  const bottom = MARGIN.top + plotHeight;

  context.strokeStyle = AXIS_COLOR;
  context.lineWidth = 1;
  context.beginPath();
  context.moveTo(left, MARGIN.top);
  context.lineTo(left, bottom);
  context.lineTo(left + plotWidth, bottom);
  context.stroke();

  context.fillStyle = AXIS_COLOR;
  context.font = LABEL_FONT;

  context.textAlign = 'center';
  context.textBaseline = 'top';
  context.fillText('1', left, bottom + 4);
  context.fillText('Arrival index', left + plotWidth / 2, bottom + 22);
  context.textAlign = 'right';
  context.fillText(String(maxArrival), left + plotWidth, bottom + 4);

  context.textBaseline = 'middle';
  context.fillText('1', left - 6, bottom);
  context.fillText(String(maxSequenceId), left - 6, MARGIN.top);

  context.save();
  context.translate(16, MARGIN.top + plotHeight / 2);
  context.rotate(-Math.PI / 2);
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  context.fillText('Sequence id', 0, 0);
  context.restore();
}
