// serve-page.js BASE_URL PASTE_FILE DUMP_FILE OUT_DIR EXPECT_CASE
//
// Uses the pmkb serve page as a first-line engineer would, in Debian's
// headless chromium driven by playwright-core: pastes an analysis and
// expects the verdict "known" with EXPECT_CASE first, uploads a .dmp,
// searches in Chinese, opens a case from the results, reads the rules.
// Saves a screenshot of every page in OUT_DIR. Exits 1 naming the first
// check that failed.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const [base, pasteFile, dumpFile, outDir, expectCase] = process.argv.slice(2);
if (!expectCase) {
	console.error('usage: serve-page.js BASE_URL PASTE_FILE DUMP_FILE OUT_DIR EXPECT_CASE');
	process.exit(64);
}

function check(cond, what) {
	if (!cond)
		throw new Error('check failed: ' + what);
	console.log('ok: ' + what);
}

async function shot(page, name) {
	await page.screenshot({ path: path.join(outDir, name), fullPage: true });
	console.log('screenshot: ' + name);
}

(async () => {
	fs.mkdirSync(outDir, { recursive: true });
	const browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		headless: true,
		// CI runs as root, where chromium's sandbox cannot start
		args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
	});
	let failed = false;
	try {
		const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
		page.setDefaultTimeout(30000);
		const errors = [];
		page.on('pageerror', (e) => errors.push(String(e)));
		page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

		// 1. the first page: the paste box and the upload
		let r = await page.goto(base + '/');
		check(r.status() === 200, 'GET / is 200');
		check(await page.locator('textarea#text').count() === 1, 'the paste box is there');
		check(await page.locator('input#file[type=file]').count() === 1, 'the file upload is there');
		await shot(page, '1-home.png');

		// 2. paste a seed analysis: known, the right case first
		await page.fill('textarea#text', fs.readFileSync(pasteFile, 'utf8'));
		await Promise.all([page.waitForNavigation(), page.click('button#match')]);
		const verdict = (await page.locator('#verdict-0').innerText()).trim();
		check(verdict.startsWith('known'), `the paste's verdict is known (got "${verdict}")`);
		const first = (await page.locator('.match a.case').first().innerText()).trim();
		check(first === expectCase, `the first case is ${expectCase} (got "${first}")`);
		check(await page.locator('.match ul.same li').count() > 0, 'the first case shows what is the same');
		await page.screenshot({ path: path.join(outDir, 'serve.png') }); // the README's picture
		await shot(page, '2-match-paste.png');

		// 3. upload a .dmp
		await page.goto(base + '/');
		await page.setInputFiles('input#file', dumpFile);
		await Promise.all([page.waitForNavigation(), page.click('button#match')]);
		const body = await page.locator('main').innerText();
		check(body.includes(path.basename(dumpFile)), 'the answer names the uploaded dump');
		const dv = (await page.locator('#verdict-0').innerText()).trim();
		check(/^(known|similar|new)/.test(dv), `the dump has a verdict (got "${dv}")`);
		check(/0x[0-9a-f]+/.test(body), 'the answer shows the dump\'s bugcheck');
		await shot(page, '3-match-dump.png');

		// 4. search in Chinese from the header
		await page.fill('header input[name=q]', '蓝屏');
		await Promise.all([page.waitForNavigation(), page.press('header input[name=q]', 'Enter')]);
		check(decodeURIComponent(page.url()).includes('q=蓝屏'), 'the search URL carries the Chinese query');
		const hits = await page.locator('table.hits a.case').count();
		check(hits > 0, `searching 蓝屏 finds cases (${hits})`);
		await shot(page, '4-search-zh.png');

		// 5. open the first case
		const id = (await page.locator('table.hits a.case').first().innerText()).trim();
		await Promise.all([page.waitForNavigation(), page.locator('table.hits a.case').first().click()]);
		const h1 = await page.locator('h1').innerText();
		check(h1.includes(id), `the case page is ${id}`);
		check(await page.locator('.card.message').count() > 0, 'the case shows its messages');
		await shot(page, '5-case.png');

		// 6. the rules, with the stored cases each catches
		r = await page.goto(base + '/rules');
		check(r.status() === 200, 'GET /rules is 200');
		check(await page.locator('.card.rule').count() > 0, 'the rules are listed');
		await shot(page, '6-rules.png');

		check(errors.length === 0, 'no page error or console error: ' + errors.join('; '));
	} catch (e) {
		console.error(String(e && e.message || e));
		failed = true;
	} finally {
		await browser.close();
	}
	process.exit(failed ? 1 : 0);
})();
