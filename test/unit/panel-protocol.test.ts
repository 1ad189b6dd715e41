import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePanelMessage, toWire, fromWire, type ExtensionToPanel, type RunInfo } from '../../src/shared/panelProtocol';
import { EMPTY_PANEL_STATE, historyCsv, isPanelState, newerState, reducePanel, revisionOf } from '../../src/shared/panelState';
import { contentSecurityPolicy, jsonForHtml, makeNonce, renderPanelHtml } from '../../src/shared/panelHtml';
import { batchLossRows, ChartRowsCache, chartData, describeNonFinite, decimateRows, formatLoss, formatTick, logScaleTicks, powersOfTen } from '../../src/webview/view';

const info: RunInfo = { runId: 'r1', label: 'original', model: 'autoencoder', file: 'a.py', seed: 0, epochs: 3, data: 'literal', synthetic: false, findings: [] };

describe('panel protocol', () => {
  it('accepts well-formed messages from the webview', () => {
    assert.deepEqual(parsePanelMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parsePanelMessage({ type: 'cancel', runId: 'r1' }), { type: 'cancel', runId: 'r1' });
    assert.deepEqual(parsePanelMessage({ type: 'tryFix', runId: 'r1', fixId: 'scale-inputs' }), { type: 'tryFix', runId: 'r1', fixId: 'scale-inputs' });
    assert.deepEqual(parsePanelMessage({ type: 'export', format: 'csv' }), { type: 'export', format: 'csv', runId: undefined });
    assert.deepEqual(parsePanelMessage({ type: 'setLogScale', value: false }), { type: 'setLogScale', value: false });
  });

  it('drops malformed or hostile messages', () => {
    const bad: unknown[] = [
      null, 42, 'ready', [], {}, { type: 'nope' }, { type: 'cancel' }, { type: 'cancel', runId: 5 },
      { type: 'cancel', runId: '../../etc/passwd' }, { type: 'tryFix', runId: 'r1' }, { type: 'export', format: 'exe' },
      { type: 'exportPng', dataUrl: 'javascript:alert(1)' }, { type: 'setLogScale', value: 'yes' }, { type: 'cancel', runId: 'x'.repeat(65) },
      { type: '__proto__' }, { type: 'export', format: 'csv', runId: {} },
    ];
    for (const b of bad) assert.equal(parsePanelMessage(b), undefined, JSON.stringify(b));
  });

  it('round-trips non-finite numbers as strings', () => {
    for (const n of [NaN, Infinity, -Infinity, 0, 2.5e6]) {
      const back = fromWire(JSON.parse(JSON.stringify(toWire(n))));
      assert.ok(Object.is(back, n) || (Number.isNaN(n) && Number.isNaN(back)));
    }
  });
});

describe('panel state', () => {
  it('reduces a run from start to verdict, keeping the first non-finite point', () => {
    const msgs: ExtensionToPanel[] = [
      { type: 'runStarted', info },
      { type: 'backend', runId: 'r1', backend: 'wasm' },
      { type: 'epoch', runId: 'r1', point: { epoch: 0, loss: 10, valLoss: 11 } },
      { type: 'nonFinite', runId: 'r1', at: { epoch: 1, batch: 0, layer: 'dense', tensor: 'gradient' } },
      { type: 'nonFinite', runId: 'r1', at: { epoch: 1, batch: 3, layer: 'dense_1', tensor: 'loss' } },
      { type: 'epoch', runId: 'r1', point: { epoch: 1, loss: 'NaN' } },
      { type: 'done', runId: 'r1', result: { verdict: 'nan', verdictText: 'NaN', timings: { totalMs: 5 } } },
      { type: 'epoch', runId: 'other', point: { epoch: 0, loss: 1 } },
    ];
    const s = msgs.reduce(reducePanel, EMPTY_PANEL_STATE);
    assert.equal(s.runs.length, 1);
    assert.equal(s.runs[0].backend, 'wasm');
    assert.deepEqual(s.runs[0].firstNonFinite, { epoch: 1, batch: 0, layer: 'dense', tensor: 'gradient' });
    assert.equal(s.runs[0].points.length, 2);
    assert.equal(s.runs[0].result?.verdict, 'nan');
    assert.equal(historyCsv(s), 'epoch,original loss,original val_loss\n0,10,11\n1,NaN,\n');
  });
});

describe('panel state after a run ends', () => {
  it('drops epochs that arrive after a cancel, so the record is what the user saw end', () => {
    const msgs: ExtensionToPanel[] = [
      { type: 'runStarted', info },
      { type: 'epoch', runId: 'r1', point: { epoch: 0, loss: 3 } },
      { type: 'epoch', runId: 'r1', point: { epoch: 1, loss: 2 } },
      { type: 'cancelled', runId: 'r1' },
      { type: 'epoch', runId: 'r1', point: { epoch: 2, loss: 1 } },
      { type: 'batch', runId: 'r1', epoch: 2, batch: 0, loss: 1 },
    ];
    const s = msgs.reduce(reducePanel, EMPTY_PANEL_STATE);
    assert.deepEqual(s.runs[0].points.map((p) => p.epoch), [0, 1]);
    assert.equal(s.runs[0].batchesSeen, 0);
  });
});

describe('panel view helpers', () => {
  it('batch loss rows: each loss, its growth when tenfold or more, the non-finite ones marked', () => {
    const info: RunInfo = { runId: 'r', label: 'original', model: 'm', file: 'f.py', seed: 0, epochs: 2, data: 'd', synthetic: false, findings: [] };
    const recentLosses = [
      { epoch: 0, batch: 7, loss: 4 },
      { epoch: 0, batch: 8, loss: 5 },
      { epoch: 1, batch: 0, loss: 5e6 },
      { epoch: 1, batch: 1, loss: 'Infinity' as const },
      { epoch: 1, batch: 2, loss: 'NaN' as const },
    ];
    const rows = batchLossRows({ info, points: [], batchesSeen: 0, firstNonFinite: { epoch: 1, batch: 2, layer: 'dense', tensor: 'activation', recentLosses } });
    assert.deepEqual(rows.map((r) => [r.epoch, r.batch, r.loss, r.growth, r.finite]), [
      [0, 7, '4', '', true],
      [0, 8, '5', '', true],
      [1, 0, '5.00e6', '×1.00e6', true],
      [1, 1, 'Infinity', '', false],
      [1, 2, 'NaN', '', false],
    ]);
    assert.deepEqual(batchLossRows({ info, points: [], batchesSeen: 0 }), [], 'nothing before a non-finite point');
    const broken = { info, points: [{ epoch: 0, loss: 'NaN' as const }], batchesSeen: 0, firstNonFinite: { epoch: 1, batch: 2, layer: 'dense', tensor: 'activation' as const, recentLosses } };
    assert.match(describeNonFinite(broken), /no epoch ended with a finite loss/);
    assert.doesNotMatch(describeNonFinite({ ...broken, points: [{ epoch: 0, loss: 3 }, { epoch: 1, loss: 'NaN' }] }), /no epoch ended/, 'the chart has a line');
    assert.deepEqual(batchLossRows({ info, points: [], batchesSeen: 0, firstNonFinite: { epoch: 0, batch: 0, layer: null, tensor: 'input' } }), [], 'an older state without the losses');
  });
  it('turns non-finite and (on a log scale) non-positive losses into gaps', () => {
    const run = { info, points: [{ epoch: 0, loss: 5 }, { epoch: 1, loss: 0 }, { epoch: 2, loss: 'NaN' as const }], batchesSeen: 0 };
    assert.deepEqual(chartData([run], true), [[0, 1, 2], [5, null, null], [null, null, null]]);
    assert.deepEqual(chartData([run], false), [[0, 1, 2], [5, 0, null], [null, null, null]]);
  });

  it('updates chart rows incrementally, matching a full rebuild', () => {
    const cache = new ChartRowsCache();
    const run = { info, points: [] as { epoch: number; loss: number; valLoss: number }[], batchesSeen: 0 };
    for (let e = 0; e < 50; e++) {
      run.points.push({ epoch: e, loss: 100 / (e + 1), valLoss: e % 7 === 3 ? NaN : 1 });
      assert.deepEqual(cache.update([run], true), chartData([run], true));
    }
  });

  it('decimates long histories but keeps spikes and gaps', () => {
    const n = 10_000;
    const xs = Array.from({ length: n }, (_, i) => i);
    const ys: (number | null)[] = xs.map((i) => (i === 5000 ? 1e9 : 1));
    for (let i = 8000; i < 9000; i++) ys[i] = null;
    const out = decimateRows([xs, ys], 500);
    assert.ok(out[0].length <= 520, `kept ${out[0].length} points`);
    assert.ok(out[1].includes(1e9), 'the spike survives');
    assert.ok(out[1].some((v) => v === null), 'the gap survives');
  });

  it('formats losses and log-scale ticks readably', () => {
    assert.equal(formatLoss(2332285), '2.33e6');
    assert.equal(formatLoss(0.5), '0.5');
    assert.equal(formatLoss(NaN), 'NaN');
    assert.equal(formatTick(1e6), '1e6');
    assert.deepEqual(powersOfTen(0.5, 2000), [1, 10, 100, 1000]);
    assert.equal(powersOfTen(1e-3, 1e20).length <= 8, true);
    assert.deepEqual(powersOfTen(0, 10), []);
    // Within a decade: round values the curve's level can be read from, not a lone power of ten.
    assert.deepEqual(logScaleTicks(0.68, 1.02), [0.7, 0.8, 0.9, 1]);
    assert.deepEqual(logScaleTicks(2.3e6, 2.4e6), [2.3e6, 2.35e6, 2.4e6]);
    assert.deepEqual(logScaleTicks(0.5, 2000), [1, 10, 100, 1000]);
  });
});

describe('panel HTML', () => {
  it('has a strict CSP: no inline or eval, nothing remote, the script by nonce', () => {
    const nonce = makeNonce();
    assert.match(nonce, /^[A-Za-z0-9]{32}$/);
    const csp = contentSecurityPolicy('vscode-resource:', nonce);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:|\*/);
    const html = renderPanelHtml({ cspSource: 'vscode-resource:', nonce, scriptUri: 'vscode-resource:/dist/webview.js', styleUris: ['vscode-resource:/media/panel.css'], title: 'a "quoted" <title>' });
    assert.match(html, new RegExp(`<script nonce="${nonce}" src=`));
    assert.doesNotMatch(html, /<style|style="/);
    assert.match(html, /a &quot;quoted&quot; &lt;title&gt;/);
  });
});

describe('the panel HTML with its script and styles in the page', () => {
  it('puts them under the nonce, and nothing in them can close their element', () => {
    const nonce = makeNonce();
    const html = renderPanelHtml({
      cspSource: 'vscode-resource:',
      nonce,
      scriptUri: 'vscode-resource:/dist/webview.js',
      styleUris: ['vscode-resource:/media/panel.css'],
      title: 't',
      inline: { script: 'const s = "</script><script>alert(1)</script><!--"; run(s);', styles: ['body { color: red } /* </style><script>alert(2)</script> */'] },
    });
    assert.equal(html.match(/<script nonce=/gi)?.length, 1, 'one script element');
    // What the HTML parser takes as each element's content (up to the first closing tag) is the whole text, escaped.
    assert.equal(/<script nonce="[^"]+">([\s\S]*?)<\/script>/i.exec(html)?.[1], 'const s = "<\\/script><script>alert(1)<\\/script><\\!--"; run(s);');
    assert.equal(/<style nonce="[^"]+">([\s\S]*?)<\/style>/i.exec(html)?.[1], 'body { color: red } /* <\\/style><script>alert(2)</script> */');
    assert.doesNotMatch(html, /src="vscode-resource:\/dist|href="vscode-resource:\/media/, 'nothing fetched');
    const csp = contentSecurityPolicy('vscode-resource:', nonce);
    assert.match(csp, new RegExp(`style-src vscode-resource: 'nonce-${nonce}'`));
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  });
});

describe('panel state revisions', () => {
  it('count the changes, so that the newer of two copies can be told apart', () => {
    let state = reducePanel(EMPTY_PANEL_STATE, { type: 'runStarted', info });
    assert.equal(revisionOf(state), 1);
    state = reducePanel(state, { type: 'epoch', runId: 'r1', point: { epoch: 0, loss: 1 } });
    const older = structuredClone(state);
    state = reducePanel(state, { type: 'epoch', runId: 'r1', point: { epoch: 1, loss: 0.5 } });
    state = reducePanel(state, { type: 'cancelled', runId: 'r1' });
    assert.equal(revisionOf(state), 4);
    // A message about a run the state does not hold changes nothing, not even the revision.
    assert.equal(reducePanel(state, { type: 'epoch', runId: 'other', point: { epoch: 0, loss: 1 } }), state);
    // A whole state replaces the copy, revision and all.
    assert.equal(revisionOf(reducePanel(state, { type: 'state', state: older })), 2);
    assert.equal(newerState(older, state), state);
    assert.equal(newerState(state, older), state);
    assert.equal(newerState(state, structuredClone(state)), state, 'the preferred copy on a tie');
    assert.equal(newerState(undefined, older), older);
    // States saved before revisions existed count as revision 0.
    assert.equal(newerState({ runs: [], logScale: true }, older), older);
  });

  it('are recognised only on a state-shaped value', () => {
    assert.ok(isPanelState({ runs: [], logScale: false }));
    for (const bad of [null, [], { runs: {} }, { runs: [] }, { runs: [], logScale: 'yes' }, 'state']) assert.ok(!isPanelState(bad), JSON.stringify(bad));
  });
});

describe('the state embedded in the panel HTML', () => {
  it('cannot close its element or start markup, and parses back to the same value', () => {
    const hostile = { runs: [{ info: { ...info, model: '</script><script>alert(1)</script>', file: 'a&b<!--\u2028.py' }, points: [], batchesSeen: 0 }], logScale: true, revision: 3 };
    const json = jsonForHtml(hostile);
    assert.doesNotMatch(json, /[<>&\u2028\u2029]/);
    assert.deepEqual(JSON.parse(json), hostile);
    const html = renderPanelHtml({ cspSource: 'vscode-resource:', nonce: makeNonce(), scriptUri: 'vscode-resource:/dist/webview.js', styleUris: [], title: 't', initialState: hostile });
    assert.equal(html.match(/<script/g)?.length, 2, 'the data element and the nonced script, nothing injected');
    assert.match(html, /<script type="application\/json" id="initial-state">[^<]*<\/script>/);
  });
});
