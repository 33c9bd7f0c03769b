import type { CozeFailure } from './errors';

export interface Explanation {
	summary: string;
	hint: string;
}

/**
 * Codes that mean something particular for one subject: agents (coze-api.md §10.8), files,
 * knowledge bases (Coze Studio's knowledge errnos, §11.7) and speech (§12).
 */
const BY_SUBJECT: Record<NonNullable<CozeFailure['subject']>, Record<number, Explanation>> = {
	agent: {
		4000: {
			summary: 'Coze rejected the request parameters',
			hint: 'Check the agent ID, the user ID and the message, and that IDs are passed as text.',
		},
		4200: {
			summary: 'Coze could not find the agent, conversation or chat',
			hint: 'Check the IDs, and that the agent is published as an API in a workspace the token can use.',
		},
	},
	file: {
		4200: { summary: 'Coze could not find the file', hint: 'Check the file ID (the file_id of an Upload with the same account).' },
	},
	knowledge: {
		4000: {
			summary: 'Coze rejected the request parameters',
			hint: 'Check the knowledge base and document IDs (passed as text), the file type (PDF, TXT, DOC, DOCX for text knowledge bases) and the chunking settings.',
		},
		4200: {
			summary: 'Coze could not find the knowledge base or document',
			hint: 'Check the knowledge base ID (the dataset_id of List) and the document IDs (the document_id of Add Document or List Documents), and that the token belongs to their owner.',
		},
		105000000: {
			summary: 'Coze Studio rejected the request parameters',
			hint: 'Check the IDs and the chunking settings. Automatic image captions need a vision model configured in Coze Studio; choose Manual captions otherwise.',
		},
		105000001: {
			summary: 'Coze Studio refused access to the knowledge base',
			hint: 'Only the user who created a knowledge base may change it. Use a token of that user.',
		},
		105000011: { summary: 'Coze Studio has no such knowledge base', hint: 'Check the knowledge base ID (the dataset_id of List).' },
		105000012: { summary: 'Coze Studio has no such document', hint: 'Check the document ID (the document_id of List Documents).' },
		105000017: { summary: 'The document is too large for Coze Studio', hint: 'Split it into smaller files and add them one by one.' },
		105000019: { summary: 'Coze Studio could not read the uploaded file', hint: "Check Coze Studio's storage (MinIO) and try again." },
		105000027: {
			summary: 'Coze Studio cannot caption images automatically',
			hint: 'No vision model is configured in Coze Studio. Choose Manual captions, or configure one.',
		},
	},
	audio: {
		4000: {
			summary: 'Coze rejected the speech request',
			hint: 'Check the voice ID (List Voices), the audio format, Speed (0.2 to 3; big-model voices 0.5 to 2) and Sample Rate.',
		},
	},
};

/** What the token needs for each subject (Coze's permission points, docs/coze-api.md §11, §12). */
const PERMISSIONS: Record<NonNullable<CozeFailure['subject']>, string> = {
	agent: '"chat" (and the conversation permissions for conversations) and access to the workspace of the agent',
	file: '"uploadFile"',
	knowledge: '"listKnowledge", "createDocument", "listDocument", "updateDocument", "deleteDocument", "readDocumentProgress", "listPhoto" or "updatePhoto", as the operation needs, and access to the workspace of the knowledge base',
	audio: '"createSpeech", "createTranscription" or "listVoice", as the operation needs',
};

export function subjectExplanation(failure: CozeFailure): Explanation | undefined {
	if (!failure.subject) return undefined;
	// A 403 without Coze's code may also come from a proxy in front of Coze.
	if (failure.code === 4101 || (failure.code === undefined && failure.httpStatus === 403)) {
		return {
			summary: failure.code === 4101 ? 'The access token lacks the permission for this' : 'Coze, or a proxy in front of it, refused the request (HTTP 403)',
			hint: `Give the token the permission ${PERMISSIONS[failure.subject]}. Behind a proxy or gateway, check that it lets this path through.`,
		};
	}
	return failure.code === undefined ? undefined : BY_SUBJECT[failure.subject][failure.code];
}
