/**
 * A real nginx (Debian's, installed by scripts/ensure-nginx.sh) in front of the emulator's Coze
 * Studio dialect, set up the way Coze Studio's own `coze-web` container proxies the Open API at
 * its default address (:8888). The directives that matter for event streams, from coze-api.md
 * §9.1 (coze-studio docker/nginx/conf.d/default.conf):
 * - `/v1` is proxied with nginx's default `proxy_buffering on`: streamed events are held in
 *   nginx's buffers instead of being passed on as they come;
 * - `sub_filter_types` lists `text/event-stream`, so the sub filter also reads event streams;
 * - `proxy_read_timeout 600s`: upstream silence is cut only after ten minutes;
 * - any other path is the web app's static files, an unknown one index.html: a POST to the
 *   knowledge document endpoints under /open_api/ gets nginx's own 405 (coze-api.md §11.7).
 * The config is written here from those facts (not copied), bound to 127.0.0.1 on a free port,
 * with every path nginx writes inside a temporary directory, and the server stopped by `stop()`.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort, REPO_DIR } from './n8n';

export interface StudioNginx {
	/** http://127.0.0.1:<port>, the address a user gives as Base URL. */
	url: string;
	stop(): Promise<void>;
}

async function accepting(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

/** The alternation of Studio's API location: `api|v[1-3]|admin` as shipped; users add `open_api` for the knowledge documents. */
export const STUDIO_API_PATHS = 'api|v[1-3]|admin';

function config(dir: string, port: number, upstream: string, apiPaths: string): string {
	const temp = (name: string) => {
		const path = join(dir, name);
		mkdirSync(path);
		// nginx's workers drop to an unprivileged user when started as root.
		chmodSync(path, 0o777);
		return path;
	};
	// The web app's static files, readable by the unprivileged workers (the temp dir is 0700).
	const web = join(dir, 'web');
	mkdirSync(web);
	writeFileSync(join(web, 'index.html'), '<!doctype html><title>Coze Studio</title>\n');
	chmodSync(web, 0o755);
	chmodSync(dir, 0o711);
	return `# Written by scripts/lib/nginx.ts for the e2e tests; see the comment there.
daemon off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 64; }
http {
	access_log off;
	client_body_temp_path ${temp('client_body')};
	proxy_temp_path ${temp('proxy')};
	fastcgi_temp_path ${temp('fastcgi')};
	uwsgi_temp_path ${temp('uwsgi')};
	scgi_temp_path ${temp('scgi')};
	client_max_body_size 100m;
	server {
		listen 127.0.0.1:${port};
		# Studio's own API location [ST:docker/nginx/conf.d/default.conf]: /api, /v1, /v2, /v3 (agent
		# chat) and /admin go to the server; a /v1-only stand-in hid that /v3 must pass too.
		location ~ ^/(${apiPaths})(/|$) {
			proxy_pass ${upstream};
			proxy_set_header Host $http_host;
			# No proxy_buffering directive: nginx's default, on, as in Coze Studio's config.
			proxy_read_timeout 600s;
			# Studio's config lets its sub filter read event streams; the rule itself is a stand-in
			# that never matches, so only the filter's presence, not a rewrite, is reproduced.
			sub_filter_types text/event-stream application/json;
			sub_filter '__n8n_nodes_coze_never_present__' '';
			sub_filter_once off;
		}
		# Everything else is Studio's web app [ST:docker/nginx/conf.d/default.conf]: an unknown path
		# gets index.html, so a POST to /open_api/… gets nginx's 405 [ISS:coze-dev/coze-studio#2355].
		location / {
			root ${web};
			try_files $uri $uri/ /index.html;
		}
	}
}
`;
}

/**
 * Starts nginx in front of `upstream` (the emulator's Studio dialect) and waits until it accepts
 * connections; `apiPaths` is the alternation of its API location (Studio's own by default).
 */
export async function startStudioNginx(upstream: string, apiPaths = STUDIO_API_PATHS): Promise<StudioNginx> {
	const binary = execFileSync('bash', [join(REPO_DIR, 'scripts', 'ensure-nginx.sh')], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	}).trim();
	const dir = mkdtempSync(join(tmpdir(), 'n8n-nodes-coze-nginx-'));
	const port = await freePort();
	const file = join(dir, 'nginx.conf');
	writeFileSync(file, config(dir, port, upstream, apiPaths));
	const child: ChildProcess = spawn(binary, ['-c', file, '-p', dir, '-e', join(dir, 'error.log')], { stdio: 'ignore' });
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const until = Date.now() + 10_000;
	while (!(await accepting(port))) {
		if (child.exitCode !== null || Date.now() > until) {
			let log = '';
			try {
				log = readFileSync(join(dir, 'error.log'), 'utf8');
			} catch {
				// no log written
			}
			child.kill('SIGKILL');
			rmSync(dir, { recursive: true, force: true });
			throw new Error(`nginx did not start on 127.0.0.1:${port}: ${log.slice(-2000)}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	return {
		url: `http://127.0.0.1:${port}`,
		stop: async () => {
			if (child.exitCode === null) {
				child.kill('SIGTERM');
				await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
				if (child.exitCode === null) child.kill('SIGKILL');
			}
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
