import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ItemOperation } from '../../shared/router/eachItem';
import { runEachItem } from '../../shared/router/eachItem';
import * as agent from './agent';
import * as audio from './audio';
import * as conversation from './conversation';
import * as file from './file';
import * as knowledgeBase from './knowledgeBase';
import * as workspace from './workspace';

const operations: Record<string, Record<string, ItemOperation>> = {
	agent: {
		cancelChat: agent.cancelChat.execute,
		chat: agent.chat.execute,
		getChat: agent.getChat.execute,
		submitToolOutputs: agent.submitToolOutputs.execute,
	},
	audio: {
		listVoices: audio.listVoices.execute,
		speechToText: audio.speechToText.execute,
		textToSpeech: audio.textToSpeech.execute,
	},
	conversation: {
		clear: conversation.clear.execute,
		create: conversation.create.execute,
		listMessages: conversation.listMessages.execute,
	},
	file: { get: file.get.execute, upload: file.upload.execute },
	knowledgeBase: {
		addDocument: knowledgeBase.addDocument.execute,
		deleteDocument: knowledgeBase.deleteDocument.execute,
		getStatus: knowledgeBase.getStatus.execute,
		list: knowledgeBase.list.execute,
		listDocuments: knowledgeBase.listDocuments.execute,
		listImages: knowledgeBase.listImages.execute,
		updateDocument: knowledgeBase.updateDocument.execute,
		updateImageCaption: knowledgeBase.updateImageCaption.execute,
	},
	workspace: { list: workspace.list.execute, listAgents: workspace.listAgents.execute },
};

/** The chosen resource's operation, once per input item (shared/router/eachItem.ts: concurrency, pairing, Continue On Fail). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	return await runEachItem.call(this, operations[resource]?.[operation], `${resource} → ${operation}`);
}
