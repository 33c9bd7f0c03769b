/** An HTTP answer read whole, for the emulator's own tests. */
export interface Answer {
	status: number;
	headers: Headers;
	bytes: Buffer;
	text: string;
	/** The body as JSON, or `{}` when it is not JSON (an SSE stream, an HTML page, a cut body). */
	json: Record<string, unknown>;
}

export async function readAnswer(res: Response): Promise<Answer> {
	const bytes = Buffer.from(await res.arrayBuffer());
	const text = bytes.toString('utf8');
	let json: Record<string, unknown> = {};
	try {
		json = JSON.parse(text) as Record<string, unknown>;
	} catch {
		// Not JSON: `text` and `bytes` say what it was.
	}
	return { status: res.status, headers: res.headers, bytes, text, json };
}
