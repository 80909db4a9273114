// The newcomer's walk on a running dashboard (the demo's, stage 90), in Debian's headless Chromium (playwright-core
// from tools/): from the overview to a contributor's payout, its epoch and Merkle proof, the inference that quoted it
// with the span highlighted, the contribution with its contributor and signature, and the batch's anchor transaction.
// Only clicks, as a newcomer would; prints what each step shows and saves a small screenshot of each in OUT.
// Usage: TOOLS=tools/node_modules URL=http://127.0.0.1:PORT/ ACCOUNT=0x.. EPOCH=N OUT=DIR node demo-walk.mjs
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(process.env.TOOLS + '/');
const { chromium } = require('playwright-core');
const { URL: url, ACCOUNT: account, EPOCH: epoch, OUT: out } = process.env;
if (!url || !account || !epoch || !out) throw new Error('set URL, ACCOUNT, EPOCH and OUT (and TOOLS)');
mkdirSync(out, { recursive: true });

function check(condition, message) {
  if (!condition) throw new Error('check failed: ' + message);
  console.log('ok - ' + message);
}
const shot = async (locator, name) => {
  await locator.screenshot({ path: join(out, name) });
  console.log('   screenshot ' + join(out, name));
};

const profile = mkdtempSync(join(tmpdir(), 'tributary-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1100, height: 800 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
try {
  const page = await context.newPage();
  page.on('pageerror', error => { console.log('page error: ' + error.message); process.exitCode = 1; });
  await page.goto(url);
  await page.waitForSelector('#live[data-state="live"]', { timeout: 60000 });
  const row = page.locator(`#contributors tr[data-account="${account.toLowerCase()}"], #contributors tr[data-account="${account}"]`).first();
  await row.waitFor({ timeout: 60000 });
  console.log('overview: contributor row: ' + (await row.textContent()).replace(/\s+/g, ' '));
  await shot(page.locator('#overview-view'), '1-overview.png');

  await row.locator('a').first().click();
  const epochRow = page.locator(`#contributor-view:not([hidden]) #contributor-epochs tr[data-epoch="${epoch}"]`);
  await epochRow.waitFor();
  console.log('contributor: ' + (await page.textContent('#contributor-view p:nth-of-type(2)')).replace(/\s+/g, ' '));
  console.log('  epoch row: ' + (await epochRow.textContent()).replace(/\s+/g, ' '));
  await shot(page.locator('#contributor-view'), '2-contributor.png');

  await epochRow.locator('a.audit-link').click();
  await page.waitForSelector('#audit-view:not([hidden]) #proof .ok, #audit-view:not([hidden]) #proof .bad');
  const payout = (await page.textContent('#step-payout .body p')).replace(/\s+/g, ' ');
  console.log('payout: ' + payout);
  check(await page.textContent('#proof .ok') === 'VALID', 'the payout\'s Merkle proof is shown VALID');
  console.log('epoch: ' + (await page.textContent('#step-epoch .body')).replace(/\s+/g, ' '));
  check((await page.textContent('#step-epoch .body')).includes('posted in tx'), 'the epoch is shown posted with its transaction');
  await shot(page.locator('#walk-summary'), '3-summary.png');
  await shot(page.locator('#step-payout'), '4-payout-proof.png');

  // The inference whose traced span paid this account: open each until one shows a highlighted span. When no
  // completion quoted the account's text (its wei came from priors), the first inference that credits a contribution.
  let quoted = null;
  let firstCrediting = null;
  const links = page.locator('.inference-link');
  for (let i = 0; i < await links.count() && !quoted; i++) {
    await links.nth(i).click();
    const card = page.locator('.card.inference').nth(i);
    if (await card.locator('.inference-details mark.account').count() > 0) quoted = card;
    else if (!firstCrediting && await card.locator('.contribution-link').count() > 0) firstCrediting = card;
    else await links.nth(i).click();
  }
  if (quoted) {
    check(true, 'an inference shows a span of this account highlighted in its completion');
    console.log('  highlighted span: ' + JSON.stringify(await quoted.locator('mark.account').first().textContent()));
  } else {
    console.log('no inference quoted this account (no highlighted span): its wei came from priors; walking a prior credit');
    quoted = firstCrediting;
    check(quoted !== null, 'an inference credits a contribution of this account');
  }
  console.log('inference: ' + (await quoted.locator('.inference-link').textContent()));
  console.log('  credits: ' + (await quoted.locator('.inference-details ul').first().textContent()).replace(/\s+/g, ' ').slice(0, 300));
  await shot(quoted, '5-inference-span.png');

  await quoted.locator('.contribution-link').first().click();
  const contribution = page.locator('.contribution:visible').first();
  const contributor = await contribution.locator('.contributor').textContent();
  check(contributor.toLowerCase() === account.toLowerCase(), 'the span\'s contribution is by ' + contributor);
  check((await contribution.textContent()).includes('VALID'), 'its signature is shown VALID');
  await contribution.locator('.batch-link').click();
  const anchor = await contribution.locator('.anchor-tx').textContent();
  check(/^0x[0-9a-f]{64}$/.test(anchor), 'its batch shows the anchor transaction ' + anchor);
  console.log('contribution: ' + (await contribution.locator('p').first().textContent()).replace(/\s+/g, ' '));
  await shot(contribution, '6-contribution-batch-anchor.png');
  console.log('OK');
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
