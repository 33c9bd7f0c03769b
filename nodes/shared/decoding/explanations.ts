import type { CozeFailure } from './errors';
import { subjectExplanation } from './subjectExplanations';

/**
 * What each failure means and what to do about it: Coze's codes (coze-api.md §5.1, §5.2, §10.8),
 * Coze Studio's errnos, HTTP statuses, and the wording per subject (subjectExplanations.ts).
 */
export type { Explanation } from './subjectExplanations';
import type { Explanation } from './subjectExplanations';

const REGION_HINT =
	'A token from www.coze.cn works only with Region "Coze China", one from www.coze.com only with "Coze International".';

// Codes from Coze's error code list and Coze Studio's errno package (see docs/coze-api facts).
const EXPLANATIONS: Record<number, Explanation> = {
	4000: {
		summary: 'Coze rejected the request parameters',
		hint: "Check that the workflow inputs match the names and types of the workflow's Start node, and that Bot ID and App ID are not both set.",
	},
	4009: {
		summary: "Coze's request limit was reached",
		hint: 'Wait a little and run again, or send fewer items at once.',
	},
	4020: {
		summary: 'The RPM quota of the Coze account was exceeded',
		hint: 'Wait a minute and run again, or raise the purchased RPM quota.',
	},
	4100: {
		summary: 'Coze rejected the access token',
		hint: `The token is wrong or expired, or it belongs to another region. ${REGION_HINT} Update the Coze API credential.`,
	},
	4101: {
		summary: 'The access token lacks the permission for this',
		hint: 'Give the token access to the workspace that owns the workflow and the permission the request needs: "run" to run, resume or chat; "listRunHistory" for Async mode and Get Run Result; "uploadFile" for files; "listWorkspace", "listWorkflow" and "getMetaData" for the workflow list and Map Each Input.',
	},
	// Agent chat codes (coze-api.md §5.1, §10.8).
	4001: { summary: 'Coze does not know this chat', hint: 'Check the chat ID: map the chat_id of the Chat, with its conversation_id.' },
	4002: {
		summary: 'Coze does not know this conversation',
		hint: 'Check the conversation ID: it must come from a Chat or Create Conversation with the same account, for the same agent. Leave it empty to start a new conversation.',
	},
	4006: { summary: 'Coze does not know this agent, or the token may not use it', hint: "Check the agent ID (the number after /bot/ in the agent editor's address) and that the token has access to its workspace." },
	4008: { summary: "The user's daily usage of the agent is used up", hint: 'Try again tomorrow, or raise the limit in Coze.' },
	4010: { summary: 'The conversation is too long for the model', hint: 'Clear the context of the conversation (Conversation → Clear Context) or start a new one.' },
	4011: { summary: 'The Coze account has too few tokens (balance)', hint: 'Top up the account in Coze.' },
	4013: { summary: "The agent's model failed", hint: 'Try again later.' },
	4015: { summary: 'The agent is not published as an API', hint: 'In Coze, publish the agent and tick the API channel, then try again.' },
	4016: {
		summary: 'A chat is already running in this conversation',
		hint: 'Coze answers one message at a time per conversation. Wait for the running chat to end (Get Chat), cancel it (Cancel Chat), or send the next message one at a time (Max Concurrent Runs 1 for one conversation).',
	},
	4104: { summary: 'Coze cannot cancel this chat', hint: 'A chat can be cancelled only while the agent is answering; this one has ended.' },
	4105: { summary: 'Coze refused the message as sensitive content', hint: 'Change the message.' },
	103000002: { summary: 'Coze Studio does not know this conversation', hint: 'Check the conversation ID, or leave it empty to start a new conversation.' },
	103100002: { summary: 'Coze Studio does not know this agent', hint: "Check the agent ID (the number after /bot/ in the agent editor's address) and that the agent is published." },
	103200005: { summary: 'Coze Studio cannot cancel this chat', hint: 'A chat can be cancelled only while the agent is answering; this one has ended.' },
	4300: {
		summary: 'Coze received an empty file',
		hint: 'Check that the binary property holds the file, and that it is not empty.',
	},
	4301: {
		summary: 'Coze accepts one file per upload',
		hint: 'This is unexpected; report it with the log ID.',
	},
	4302: {
		summary: 'The file is too large for Coze',
		hint: 'Coze takes files up to 512 MB. Send a smaller file, or a URL of the file instead.',
	},
	4303: {
		summary: 'Coze does not accept this type of file',
		hint: 'Coze takes documents, images, audio, video and archives of common types (PDF, DOCX, XLSX, CSV, JPG, PNG, MP3, MP4, ZIP …). Check the file name extension and MIME type.',
	},
	4304: {
		summary: 'Coze could not read the file',
		hint: 'The file may be damaged, or its extension may not match its content.',
	},
	4200: {
		summary: 'Coze could not find the workflow, or it is not published',
		hint: 'Publish the workflow in Coze and check the workflow ID: drafts cannot be run through the API. The token must also have access to its workspace.',
	},
	5000: {
		summary: 'Coze had an internal problem',
		hint: 'Try again later. The run was not resent automatically because it may have started.',
	},
	6003: {
		summary: 'Async runs need a paid Coze plan',
		hint: 'Run the workflow without async, or upgrade the Coze plan.',
	},
	6023: {
		summary: 'The workflow ran out of time in Coze Studio',
		hint: 'Make the workflow faster or raise its timeout in Coze Studio.',
	},
	6031: {
		summary: 'The workflow is not published in Coze Studio',
		hint: 'Publish the workflow in Coze Studio and check the workflow ID.',
	},
	6039: {
		summary: 'The workflow stopped at a question or input node',
		hint: 'Coze Studio can pause a workflow only in a streamed or async run, not in a run that waits for the result.',
	},
	720701013: {
		summary: 'The workflow failed while running',
		hint: 'Open the debug URL to see which node failed.',
	},
	720702004: {
		summary: 'Coze Studio could not find the workflow',
		hint: 'Check the workflow ID and that the API key belongs to the workflow’s space.',
	},
	700012006: {
		summary: 'Coze Studio rejected the API key',
		hint: 'Create an API key in Coze Studio and check that Base URL points at that Studio.',
	},
};

/**
 * Coze Studio answers a stream, a resume or a chat that fails before it starts with its
 * internal code (backend/types/errno/workflow.go), not the Open API code its waited-for run
 * maps it to (internal/httputil/error_resp.go; coze-api.md §9.8): explained the same way.
 */
const STUDIO_INTERNAL_CODES: Record<number, number> = {
	720702001: 4000,
	720702002: 4000,
	720712014: 4000,
	720702011: 6031,
	720702078: 6039,
	720702085: 6023,
};

const STUDIO_OPERATION_FAILURE: Explanation = {
	summary: 'Coze Studio could not do this',
	hint: "Coze Studio's reason is above: for example a missing input (a chatflow needs CONVERSATION_NAME), an API key without access to the workflow's space, or an unknown execute ID.",
};

const HTTP_EXPLANATIONS: Record<number, Explanation> = {
	401: EXPLANATIONS[4100],
	403: EXPLANATIONS[4101],
	404: {
		summary: 'No Coze API answered at this address',
		hint: 'Check Region and Base URL in the Coze API credential. For Coze Studio use the address of its web container, e.g. http://localhost:8888.',
	},
	429: {
		summary: 'Coze is rate limiting requests',
		hint: 'Wait a little and run again, or send fewer items at once.',
	},
};

/** 401, 403, 404 and 429 mean the same whatever body comes with them (JSON, text or nothing); a 403 depends on what was asked. */
export function httpExplanation(httpStatus: number, subject?: CozeFailure['subject']): Explanation | undefined {
	return (subject && subjectExplanation({ subject, httpStatus })) || HTTP_EXPLANATIONS[httpStatus];
}

const FALLBACK: Explanation = {
	summary: 'Coze could not run the workflow',
	hint: 'Check the message from Coze below, and the debug URL if there is one.',
};

export function explainFailure(failure: CozeFailure): Explanation {
	const bySubject = subjectExplanation(failure);
	if (bySubject) return bySubject;
	if (failure.code !== undefined) {
		const explanation = EXPLANATIONS[failure.code] ?? EXPLANATIONS[STUDIO_INTERNAL_CODES[failure.code]];
		if (explanation) return explanation;
		// "Workflow operation failure: <cause>" (errno 777777775): the cause is in the message.
		if (failure.code === 777777775) return STUDIO_OPERATION_FAILURE;
	}
	if (failure.httpStatus !== undefined) {
		if (HTTP_EXPLANATIONS[failure.httpStatus]) return HTTP_EXPLANATIONS[failure.httpStatus];
		if (failure.httpStatus >= 500) {
			return {
				summary: `Coze answered with HTTP ${failure.httpStatus}`,
				hint: failure.subject
					? 'Coze or a proxy in front of it failed. Try again later.'
					: 'Coze or a proxy in front of it failed. Try again later. The run was not resent automatically because it may have started.',
			};
		}
	}
	return failure.subject ? SUBJECT_FALLBACK : FALLBACK;
}

const SUBJECT_FALLBACK: Explanation = {
	summary: 'Coze refused the request',
	hint: 'Check the message from Coze below.',
};

