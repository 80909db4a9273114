// Drives the dashboard in Debian's headless Chromium (playwright-core from tools/): checks the numbers shown, that
// charts are drawn, that a lake commit reaches the open page, and that the audit walk is reachable by clicks.
// Run by DashboardBrowserTest, which writes the lake, starts the server and passes what to expect in EXPECTED.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const require = createRequire(process.env.TOOLS + '/');
const { chromium } = require('playwright-core');
const expected = JSON.parse(process.env.EXPECTED);
const { settled, open } = expected;
const screenshots = process.env.SCREENSHOTS;
const lines = createInterface({ input: process.stdin });
const nextLine = () => new Promise(resolve => lines.once('line', resolve));

function check(condition, message) {
  if (!condition) throw new Error('check failed: ' + message);
  console.log('ok - ' + message);
}

async function inkedPixels(page, id) {
  return page.evaluate(canvasId => {
    const canvas = document.getElementById(canvasId);
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) inked++;
    return inked;
  }, id);
}

const profile = mkdtempSync(join(tmpdir(), 'tributary-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
try {
  const page = await context.newPage();
  page.on('pageerror', error => { console.log('page error: ' + error.message); process.exitCode = 1; });
  await page.goto(expected.url);
  await page.waitForSelector('#live[data-state="live"]', { timeout: 20000 });
  await page.waitForSelector(`#epochs tr[data-epoch="${settled}"]`);

  check(await page.textContent(`#epochs tr[data-epoch="${settled}"] .status`) === 'settled', `epoch ${settled} is shown settled`);
  check(await page.textContent(`#epochs tr[data-epoch="${open}"] .status`) === 'open', `epoch ${open} is shown open`);
  check(await page.getAttribute(`#epochs tr[data-epoch="${settled}"] .wei`, 'data-wei') === expected.feesSettled,
    `epoch ${settled} fees ${expected.feesSettled} wei`);
  const legal = `.datanet[data-datanet="legal"] tr[data-epoch="${settled}"]`;
  const legalWei = await page.$$eval(legal + ' .wei', cells => cells.map(cell => cell.getAttribute('data-wei')));
  check(JSON.stringify(legalWei.slice(0, 4)) === JSON.stringify(expected.legalSettled),
    `legal epoch ${settled}: fees, contributors, creator, protocol ${legalWei.slice(0, 4)}`);
  check((await page.textContent(legal)).includes('to the wei'), `legal epoch ${settled} is conserved to the wei`);
  check(await page.getAttribute(`#contributors tr[data-account="${expected.alice}"] .wei`, 'data-wei') === expected.aliceTotal,
    'alice earned ' + expected.aliceTotal + ' wei in all');
  check((await page.textContent('#adapters')).includes('legal-v1'), 'the legal adapter is listed by name');
  check((await page.textContent('#serving')).includes('up'), 'serving is shown up');
  check(await page.textContent('#cache-tiers tbody tr:first-child td:first-child') === 'device', 'the adapter cache tiers are shown');
  check((await page.textContent('#rejections')).includes('unknown_adapter'), 'rejected inferences are shown by reason');
  const feesInk = await inkedPixels(page, 'fees-chart');
  check(feesInk > 500, 'the fees chart is drawn (' + feesInk + ' pixels inked)');
  await page.screenshot({ path: join(screenshots, 'overview.png'), fullPage: true });

  // A commit to the lake reaches the open page through the event stream.
  console.log('APPEND');
  await nextLine();
  const started = Date.now();
  await page.waitForFunction(epoch => {
    const row = document.querySelector(`#epochs tr[data-epoch="${epoch}"]`);
    return row && row.children[2].textContent === '2';
  }, open, { timeout: 30000 });
  console.log('LIVE-UPDATE-MS ' + (Date.now() - started));
  check(true, 'the open epoch shows the appended inference without a reload');

  await page.click(`#contributors tr[data-account="${expected.alice}"] a`);
  await page.waitForSelector(`#contributor-view:not([hidden]) #contributor-epochs tr[data-epoch="${settled}"]`);
  check(await page.getAttribute('#contributor-total .wei', 'data-wei') === expected.aliceTotal, 'the contributor view shows the total');
  check((await page.$$eval('#contributor-span-list mark.account', marks => marks.map(mark => mark.textContent))).includes(expected.quote),
    'the earning span is highlighted in its completion');
  const contributorInk = await inkedPixels(page, 'contributor-chart');
  check(contributorInk > 200, 'the earnings chart is drawn (' + contributorInk + ' pixels inked)');
  await page.screenshot({ path: join(screenshots, 'contributor.png'), fullPage: true });

  await page.click(`#contributor-epochs tr[data-epoch="${settled}"] a.audit-link`);
  await page.waitForSelector('#audit-view:not([hidden]) #proof .ok');
  check(await page.textContent('#proof .ok') === 'VALID', 'the payout\'s Merkle proof is shown valid');
  check(await page.getAttribute('#step-payout .wei', 'data-wei') === expected.alicePayoutSettled, 'the payout amount is shown');
  await page.locator('.inference-link').first().click();
  const highlighted = await page.locator('.inference-details:visible mark.account').first().textContent();
  check(highlighted === expected.quote, 'clicking the inference shows its traced span highlighted');
  // Another commit while the walk is open: the page renders the walk again, and what the reader opened stays open.
  const marked = await page.locator('.inference-details:visible').first().elementHandle();
  console.log('APPEND');
  await nextLine();
  await page.waitForFunction(element => !element.isConnected, marked, { timeout: 30000 });
  await page.waitForTimeout(1500); // the append's second table commit: one more refresh tick at most
  check(await page.locator('.inference-details:visible mark.account').count() > 0,
    'a live update of the lake keeps the opened inference open');
  await page.locator('.inference-details:visible .contribution-link').first().click();
  const card = page.locator('.contribution:visible').first();
  check(await card.locator('.contributor').textContent() === expected.alice, 'clicking the span shows its contribution and contributor');
  check((await card.textContent()).includes('VALID'), 'the contribution\'s signature is shown valid');
  await card.locator('.batch-link').click();
  check(await card.locator('.anchor-tx').textContent() === expected.anchorTx, 'clicking the batch shows its anchor transaction');
  await page.screenshot({ path: join(screenshots, 'audit.png'), fullPage: true });
  console.log('OK');
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  lines.close();
}
