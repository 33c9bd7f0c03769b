/** A very small router: exact paths or RegExps with named groups, matched in insertion order. */
import type { Handler } from './core';

export interface Route {
	method: string;
	/** Exact path (`/v1/workflow/run`) or an anchored RegExp with named groups. */
	path: string | RegExp;
	handler: Handler;
}

export interface RouteMatch {
	route: Route;
	params: Record<string, string>;
}

export class Router {
	private readonly routes: Route[] = [];

	add(...routes: Route[]): this {
		this.routes.push(...routes);
		return this;
	}

	/** First route whose method and path match; method mismatches count as no match (Hertz answers them through NoRoute, i.e. 404). */
	match(method: string, path: string): RouteMatch | undefined {
		for (const route of this.routes) {
			if (route.method !== method) continue;
			if (typeof route.path === 'string') {
				if (route.path === path) return { route, params: {} };
				continue;
			}
			const m = route.path.exec(path);
			if (m) return { route, params: { ...(m.groups ?? {}) } };
		}
		return undefined;
	}
}
