// Tributary dashboard: renders the figures the server pushes (server-sent events) and the contributor and audit views.
// Every number comes from the server's JSON (the same code as `tributary audit`); wei stay decimal strings (BigInt here).
'use strict';

const state = { overview: null, serving: null, versions: null, charts: {} };

function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined) continue;
    if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else if (key === 'className') element.className = value;
    else element.setAttribute(key, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

const TOKEN = 10n ** 18n;
function weiText(wei) {
  const value = BigInt(wei);
  if (value < 10n ** 12n) return value.toString() + ' wei';
  const whole = value / TOKEN;
  const fraction = (value % TOKEN).toString().padStart(18, '0').slice(0, 6).replace(/0+$/, '');
  return whole.toString() + (fraction ? '.' + fraction : '') + ' TRIB';
}
function wei(value) {
  return h('span', { className: 'wei', 'data-wei': value, title: value + ' wei' }, weiText(value));
}
// Chart heights only, never sums: TRIB when the largest value is at least 10^12 wei, else wei.
function chartUnit(values) {
  const largest = values.reduce((max, value) => (BigInt(value) > max ? BigInt(value) : max), 0n);
  return largest >= 10n ** 12n ? { name: 'TRIB', scale: 1e18 } : { name: 'wei', scale: 1 };
}
function weiNumber(value, unit) {
  return Number(BigInt(value)) / unit.scale;
}
function short(id) { return !id ? '(base model)' : id.length > 18 ? id.slice(0, 10) + '\u2026' + id.slice(-6) : id; }
function status(value) { return h('span', { className: 'status ' + value }, value); }
function check(ok, yes, no) { return h('span', { className: ok ? 'ok' : 'bad' }, ok ? yes : no); }
function fill(selector, rows) {
  const body = document.querySelector(selector);
  body.replaceChildren(...rows);
}
function cell(content, className) { return h('td', { className }, content); }
function contributorLink(account) { return h('a', { href: '#/contributor/' + account, className: 'mono contributor-link' }, short(account)); }

function renderOverview() {
  const overview = state.overview;
  if (!overview) return;
  fill('#epochs tbody', overview.epochs.map(epoch => h('tr', { 'data-epoch': epoch.epoch },
    cell([String(epoch.epoch), epoch.start ? h('small', { className: 'hint' }, ' ' + epoch.start.slice(0, 16).replace('T', ' ') + 'Z') : '']),
    cell(status(epoch.status)), cell(epoch.inferences, 'num'), cell(wei(epoch.fees_wei), 'num'),
    cell(epoch.settlement_tx ? h('code', {}, short(epoch.settlement_tx)) : '-'))));
  const datanets = document.querySelector('#datanets');
  datanets.replaceChildren(...overview.datanets.map(datanetPanel));
  fill('#contributors tbody', overview.contributors.map(contributor => h('tr', { 'data-account': contributor.account },
    cell(contributorLink(contributor.account)), cell(wei(contributor.total_wei), 'num'), cell(contributor.spans, 'num'),
    cell(contributor.epochs.length, 'num'))));
  fill('#adapters tbody', overview.adapters.map(adapter => h('tr', { 'data-adapter': adapter.adapter_id },
    cell(h('span', { title: adapter.adapter_id }, adapter.name || short(adapter.adapter_id))), cell(adapter.datanet || '-'),
    cell(adapter.inferences, 'num'), cell(adapter.per_minute.toFixed(1), 'num'), cell(wei(adapter.fees_wei), 'num'))));
  const rejections = overview.rejections;
  document.querySelector('#rejections').replaceChildren(rejections.total === 0 ? h('p', {}, 'none')
    : h('ul', {}, Object.entries(rejections.by_reason).map(([reason, count]) => h('li', {}, h('code', {}, reason), ': ', count))));
  drawFeesChart(overview);
}

function datanetPanel(datanet) {
  const header = h('tr', {}, ['epoch', 'status', 'inferences', 'fees', 'contributors', 'creator', 'protocol', 'conserved', 'top contributors']
    .map(name => h('th', {}, name)));
  const rows = datanet.epochs.map(epoch => h('tr', { 'data-epoch': epoch.epoch },
    cell(epoch.epoch), cell(status(epoch.status)), cell(epoch.inferences, 'num'), cell(wei(epoch.fees_wei), 'num'),
    cell(wei(epoch.contributors_wei), 'num'), cell(wei(epoch.creator_wei), 'num'), cell(wei(epoch.protocol_wei), 'num'),
    cell(check(epoch.conserved, 'to the wei', 'NO')),
    cell(epoch.contributors.slice(0, 3).map(paid => h('div', {}, contributorLink(paid.account), ' ', wei(paid.wei))))));
  const title = h('h3', {}, datanet.name, ' ', h('small', { className: 'mono' }, datanet.datanet === datanet.name ? '' : datanet.datanet),
    ': fees ', wei(datanet.fees_wei), ', to contributors ', wei(datanet.contributors_wei));
  return h('div', { className: 'panel datanet', 'data-datanet': datanet.datanet }, title,
    h('table', {}, h('thead', {}, header), h('tbody', {}, rows)));
}

function drawFeesChart(overview) {
  if (!window.Chart) return;
  const epochs = overview.epochs.map(epoch => epoch.epoch).sort((a, b) => a - b);
  const unit = chartUnit(overview.epochs.map(epoch => epoch.fees_wei));
  const datasets = overview.datanets.map(datanet => ({
    label: datanet.name,
    data: epochs.map(epoch => {
      const found = datanet.epochs.find(figures => figures.epoch === epoch);
      return found ? weiNumber(found.fees_wei, unit) : 0;
    }),
  }));
  chart('fees-chart', { type: 'bar', data: { labels: epochs.map(String), datasets },
    options: { animation: false, maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: unit.name } } } } });
}

function chart(id, config) {
  if (state.charts[id]) state.charts[id].destroy();
  state.charts[id] = new Chart(document.getElementById(id), config);
}

function renderServing() {
  const serving = state.serving;
  const box = document.querySelector('#serving');
  if (!serving) return;
  if (!serving.up) {
    box.replaceChildren(h('p', {}, check(false, '', 'not reachable'), ' ', serving.url || '', h('br'), h('small', {}, serving.error || '')));
    return;
  }
  const requests = Object.entries(serving.requests_by_status).map(([code, count]) => code + ': ' + count).join(', ') || 'none';
  box.replaceChildren(
    h('p', {}, check(true, 'up', ''), ' ', h('code', {}, serving.url)),
    h('p', {}, 'requests by status: ', requests, h('br'), 'queue ', serving.queue_depth, ', running ', serving.running_sequences,
      ', log failures ', serving.log_failures),
    h('table', { id: 'cache-tiers' }, h('thead', {}, h('tr', {}, ['tier', 'adapters', 'MiB', 'hits', 'misses', 'loads', 'evictions'].map(name => h('th', {}, name)))),
      h('tbody', {}, serving.tiers.map(tier => h('tr', {}, cell(tier.tier), cell(tier.resident_adapters, 'num'),
        cell((tier.resident_bytes / 1048576).toFixed(1), 'num'), cell(tier.hits, 'num'), cell(tier.misses, 'num'), cell(tier.loads, 'num'),
        cell(tier.evictions, 'num'))))));
}

function segments(list) {
  return h('div', { className: 'completion' }, list.map(segment => segment.mark
    ? h('mark', { className: segment.mark }, segment.text) : segment.text));
}

async function fetchJson(url) {
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

async function showContributor(account) {
  const detail = await fetchJson('/api/contributor?account=' + encodeURIComponent(account));
  const figures = detail.figures;
  document.querySelector('#contributor-account').textContent = figures.account;
  document.querySelector('#contributor-total').replaceChildren(wei(figures.total_wei));
  document.querySelector('#contributor-spans').textContent = detail.spans_total;
  fill('#contributor-epochs tbody', figures.epochs.map(epoch => h('tr', { 'data-epoch': epoch.epoch },
    cell(epoch.epoch), cell(status(epoch.status)), cell(wei(epoch.wei), 'num'),
    cell(h('a', { href: '#/audit/' + figures.account + '/' + epoch.epoch, className: 'audit-link' }, 'audit epoch ' + epoch.epoch)))));
  document.querySelector('#contributor-span-list').replaceChildren(...detail.spans.map(span => h('div', { className: 'card span' },
    h('div', {}, 'epoch ', span.epoch, ', inference ', h('code', {}, span.inference_id), ', tokens [', span.span_start, ', ', span.span_end,
      ') of contribution ', h('code', {}, short(span.contribution_id)), ': ', wei(span.wei)),
    segments(span.segments))));
  if (window.Chart) {
    const unit = chartUnit(figures.epochs.map(epoch => epoch.wei));
    chart('contributor-chart', { type: 'bar', data: { labels: figures.epochs.map(epoch => String(epoch.epoch)),
      datasets: [{ label: 'earned (' + unit.name + ')', data: figures.epochs.map(epoch => weiNumber(epoch.wei, unit)), backgroundColor: '#2f7d4f' }] },
      options: { animation: false, maintainAspectRatio: false } });
  }
}

// What the reader opened in the walk (inferences, contribution cards, batches), so that a live update of the lake,
// which renders the walk again, does not close it under their cursor.
function openedInWalk() {
  const ids = (selector, attribute) => new Set([...document.querySelectorAll(selector)].map(element => attribute(element)));
  return {
    inferences: ids('#step-inferences .card.inference', card => card.querySelector('.inference-details').hidden ? null : card.dataset.inference),
    contributions: ids('#step-contributions .card.contribution:not([hidden])', card => card.id),
    batches: ids('#step-contributions .card.contribution', card => {
      const details = card.querySelector('.batch-details');
      return details && !details.hidden ? card.id : null;
    }),
  };
}

function reopenInWalk(opened) {
  for (const card of document.querySelectorAll('#step-inferences .card.inference')) {
    if (opened.inferences.has(card.dataset.inference)) card.querySelector('.inference-details').hidden = false;
  }
  for (const card of document.querySelectorAll('#step-contributions .card.contribution')) {
    if (opened.contributions.has(card.id)) card.hidden = false;
    const details = card.querySelector('.batch-details');
    if (details && opened.batches.has(card.id)) details.hidden = false;
  }
}

async function showAudit(account, epoch) {
  const walk = await fetchJson('/api/audit?account=' + encodeURIComponent(account) + '&epoch=' + encodeURIComponent(epoch));
  const sameWalk = document.querySelector('#audit-account').textContent === walk.account
    && document.querySelector('#audit-epoch').textContent === String(walk.epoch);
  const opened = sameWalk ? openedInWalk() : null;
  document.querySelector('#audit-account').textContent = walk.account;
  document.querySelector('#audit-epoch').textContent = walk.epoch;
  document.querySelector('#audit-back').setAttribute('href', '#/contributor/' + walk.account);
  const payout = walk.payout;
  const roles = walk.epoch_state.roles.map(role => h('li', {}, 'stream owes as ', role.role, ': ', wei(role.wei)));
  document.querySelector('#step-payout .body').replaceChildren(payout
    ? h('div', {}, h('p', {}, 'payout #', payout.index, ': ', wei(payout.amount_wei), ' ',
        payout.stream_wei === null ? '' : check(payout.matches_stream, '= the stream\'s epoch_payouts', '\u2260 the stream\'s epoch_payouts')),
      h('p', { id: 'proof' }, 'Merkle proof (', payout.proof.length, ' hashes) against root ', h('code', {}, payout.root), ': ',
        check(payout.proof_valid, 'VALID', 'INVALID')),
      h('ul', { className: 'mono' }, payout.proof.map(hash => h('li', {}, hash))),
      payout.claim ? h('p', {}, 'claimed in tx ', h('code', {}, payout.claim.tx), ' (block ', payout.claim.block, ')') : h('p', {}, 'not claimed yet'))
    : h('p', {}, 'not settled on chain yet'), h('ul', {}, roles));
  const epochState = walk.epoch_state;
  document.querySelector('#step-epoch .body').replaceChildren(h('p', {}, status(epochState.status), ' ',
    epochState.start ? [epochState.start, ' \u2192 ', epochState.end, ', ', epochState.inferences, ' inferences, fees ', wei(epochState.fees_wei)] : '',
    h('br'), epochState.tx ? ['posted in tx ', h('code', { id: 'epoch-tx' }, epochState.tx), ' (block ', epochState.block, '), root ',
      h('code', {}, epochState.root)] : 'not posted yet'));
  document.querySelector('#step-inferences .body').replaceChildren(h('p', {}, walk.inferences.length, ' inferences'),
    ...walk.inferences.map(inference => {
      const details = h('div', { className: 'inference-details', hidden: '' },
        h('p', { className: 'hint' }, 'record hash (keccak256) ', h('code', {}, inference.record_hash || '-'),
          ' (its leaf in the epoch\'s inference root ', h('code', {}, walk.epoch_state.inferences_root || '-'), ')'),
        segments(inference.segments),
        h('ul', {}, inference.credits.map(credit => h('li', {}, credit.kind,
          credit.span_start === null ? '' : [' tokens [', credit.span_start, ', ', credit.span_end, ')'], ': ', wei(credit.wei),
          credit.contribution_id ? [' from ', h('button', { className: 'link contribution-link', 'data-contribution': credit.contribution_id,
            onclick: () => revealContribution(credit.contribution_id) }, 'contribution ' + short(credit.contribution_id))] : ''))));
      return h('div', { className: 'card inference', 'data-inference': inference.inference_id },
        h('button', { className: 'link inference-link', onclick: () => { details.hidden = !details.hidden; } },
          'inference ' + inference.inference_id), ' ', inference.served_at || '', ', adapter ', h('code', {}, short(inference.adapter_id)),
        ', fee ', wei(inference.fee_wei), ', to this account ', wei(inference.wei_to_account), details);
    }));
  document.querySelector('#step-contributions .body').replaceChildren(...walk.contributions.map(trail => {
    const batch = trail.batch;
    const batchDetails = batch ? h('div', { className: 'batch-details', hidden: '' },
      h('p', {}, 'batch root ', h('code', {}, batch.merkle_root || '-'), ' ', check(batch.root_recomputed, 'recomputed from its ids', 'MISMATCH'),
        ', contains the contribution: ', check(batch.contains_contribution, 'yes', 'NO'), ', proof of ', batch.proof.length, ' hashes'),
      batch.anchor ? h('p', { className: 'anchor' }, 'anchored in tx ', h('code', { className: 'anchor-tx' }, batch.anchor.tx), ' (block ',
        batch.anchor.block, ', chain ', batch.anchor.chain_id, ', registry ', h('code', {}, batch.anchor.registry || '-'), ') ',
        check(batch.anchor.root_matches, 'same root', 'ROOT MISMATCH')) : h('p', { className: 'anchor' }, 'not anchored yet')) : null;
    return h('div', { className: 'card contribution', id: 'contribution-' + trail.contribution_id, hidden: '' },
      h('p', {}, 'contribution ', h('code', {}, trail.contribution_id), ' in Datanet ', trail.datanet,
        trail.license ? [', license ', h('code', {}, trail.license)] : '', trail.ingested_at ? [', ingested ', trail.ingested_at] : ''),
      h('p', {}, 'contributor ', h('code', { className: 'contributor' }, trail.contributor), ', signature ',
        check(trail.signature_valid, 'VALID', 'INVALID'), ', id = sha256(text): ', check(trail.id_matches_text, 'yes', 'NO')),
      h('blockquote', {}, trail.excerpt),
      batch ? h('p', {}, h('button', { className: 'link batch-link', onclick: () => { batchDetails.hidden = !batchDetails.hidden; } },
        'batch ' + short(batch.batch_id))) : null, batchDetails);
  }));
  document.querySelector('#walk-summary').replaceChildren(...trailSummary(walk));
  document.querySelector('#audit-notes').replaceChildren(...walk.notes.map(note => h('p', { className: 'hint' }, 'note: ', note)));
  if (opened) reopenInWalk(opened);
}

// One contribution followed in the order things happened, from ingest to claim: the contribution that earned this
// account the most in the epoch (summed over the inferences that quoted it), then its batch and anchor, the inferences,
// the epoch's posting and the claim. Every value is one the walk below shows and checks.
function trailSummary(walk) {
  const earned = new Map();
  const quotedBy = new Map();
  for (const inference of walk.inferences) {
    for (const credit of inference.credits) {
      if (!credit.contribution_id) continue;
      earned.set(credit.contribution_id, (earned.get(credit.contribution_id) || 0n) + BigInt(credit.wei));
      quotedBy.set(credit.contribution_id, (quotedBy.get(credit.contribution_id) || new Set()).add(inference.inference_id));
    }
  }
  const ranked = [...earned.entries()].sort((a, b) => (b[1] > a[1] ? 1 : b[1] < a[1] ? -1 : a[0].localeCompare(b[0])));
  const title = h('h3', {}, 'From ingest to claim, in the order it happened');
  if (ranked.length === 0) {
    return [title, h('p', { className: 'hint' }, 'No contribution of this account was quoted or credited in epoch ', walk.epoch,
      ': its wei here come from roles (creator, protocol) or priors; the steps below show them.')];
  }
  const [id, earnedWei] = ranked[0];
  const trail = walk.contributions.find(candidate => candidate.contribution_id === id);
  const batch = trail && trail.batch;
  const payout = walk.payout;
  const epochState = walk.epoch_state;
  const steps = [
    h('li', {}, 'Contributed: ', h('button', { className: 'link contribution-link', onclick: () => revealContribution(id) }, 'contribution ' + short(id)),
      trail ? [' signed by ', h('code', {}, short(trail.contributor)), ' (signature ', check(trail.signature_valid, 'valid', 'INVALID'), ')',
        trail.license ? ', license ' + trail.license : '', trail.ingested_at ? ', ingested ' + trail.ingested_at : ''] : ''),
    h('li', {}, 'Batched and anchored: ', batch ? ['batch ', h('code', {}, short(batch.batch_id)),
      batch.anchor ? [', root anchored in tx ', h('code', {}, short(batch.anchor.tx)), ' (block ', batch.anchor.block, ')'] : ', not anchored yet']
      : 'no batch recorded'),
    h('li', {}, 'Quoted: traced in ', quotedBy.get(id).size, ' of the ', walk.inferences.length, ' inferences below that paid this account, earning it ',
      wei(earnedWei.toString()), ' in epoch ', walk.epoch),
    h('li', {}, 'Epoch ', walk.epoch, ' ', status(epochState.status), epochState.tx ? [': posted in tx ', h('code', {}, short(epochState.tx)),
      ', this account\'s payout ', payout ? wei(payout.amount_wei) : '-', payout ? [' (proof ', check(payout.proof_valid, 'valid', 'INVALID'), ')'] : ''] : ': not posted yet'),
    h('li', {}, 'Claimed: ', payout && payout.claim ? ['in tx ', h('code', {}, short(payout.claim.tx)), ' (block ', payout.claim.block, ')'] : 'not yet'),
  ];
  return [title, h('ol', { className: 'trail' }, steps),
    h('p', { className: 'hint' }, 'Each step is checked in the walk below; open an inference to see the span highlighted in its completion.')];
}

function revealContribution(id) {
  const card = document.getElementById('contribution-' + id);
  if (card) {
    card.hidden = false;
    card.scrollIntoView({ block: 'nearest' });
  }
}

async function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/');
  for (const view of document.querySelectorAll('.view')) view.hidden = true;
  const error = document.querySelector('#error');
  error.hidden = true;
  try {
    if (parts[0] === 'contributor' && parts[1]) {
      document.querySelector('#contributor-view').hidden = false;
      await showContributor(parts[1]);
    } else if (parts[0] === 'audit' && parts[1] && parts[2]) {
      document.querySelector('#audit-view').hidden = false;
      await showAudit(parts[1], parts[2]);
    } else {
      document.querySelector('#overview-view').hidden = false;
      renderOverview();
    }
    document.body.dataset.view = parts[0] || 'overview';
  } catch (failure) {
    error.textContent = failure.message;
    error.hidden = false;
  }
}

function receive(document_) {
  const changed = JSON.stringify(document_.overview.versions) !== JSON.stringify(state.versions);
  state.overview = document_.overview;
  state.serving = document_.serving;
  state.versions = document_.overview.versions;
  renderServing();
  const live = document.querySelector('#live');
  live.dataset.state = 'live';
  live.textContent = 'live \u00b7 lake updated ' + new Date().toLocaleTimeString();
  document.body.dataset.generation = String(Number(document.body.dataset.generation || 0) + 1);
  if (changed) route();
}

function connect() {
  const events = new EventSource('/api/events');
  events.addEventListener('state', event => receive(JSON.parse(event.data)));
  events.onerror = () => {
    const live = document.querySelector('#live');
    live.dataset.state = 'down';
    live.textContent = 'reconnecting...';
  };
}

window.addEventListener('hashchange', route);
fetchJson('/api/state').then(receive).catch(failure => { document.querySelector('#error').textContent = failure.message; document.querySelector('#error').hidden = false; });
connect();
