import type { INodeProperties } from 'n8n-workflow';

import * as addDocument from './addDocument.operation';
import * as deleteDocument from './deleteDocument.operation';
import * as getStatus from './getStatus.operation';
import * as list from './list.operation';
import * as listDocuments from './listDocuments.operation';
import * as listImages from './listImages.operation';
import * as updateDocument from './updateDocument.operation';
import * as updateImageCaption from './updateImageCaption.operation';

export { addDocument, deleteDocument, getStatus, list, listDocuments, listImages, updateDocument, updateImageCaption };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['knowledgeBase'] } },
		options: [
			{ name: 'Add Document', value: 'addDocument', action: 'Add a document to a knowledge base', description: 'Add a file, an image or a web page, and wait until Coze has processed it' },
			{ name: 'Delete Document', value: 'deleteDocument', action: 'Delete documents from a knowledge base', description: 'Remove documents and their chunks' },
			{ name: 'Get Processing Status', value: 'getStatus', action: 'Get the processing status of documents', description: "Look at documents' status and progress" },
			{ name: 'List', value: 'list', action: 'List knowledge bases', description: 'Return the knowledge bases of a workspace, one item each' },
			{ name: 'List Documents', value: 'listDocuments', action: 'List the documents of a knowledge base', description: 'Return the documents with their status and progress, one item each' },
			{ name: 'List Images', value: 'listImages', action: 'List the images of a knowledge base', description: 'Return the images of an image knowledge base with their captions' },
			{ name: 'Update Document', value: 'updateDocument', action: 'Update a document', description: "Rename a document, or change how often a web page is read again" },
			{ name: 'Update Image Caption', value: 'updateImageCaption', action: 'Update an image caption', description: "Set what an image of an image knowledge base shows" },
		],
		default: 'addDocument',
	},
	...addDocument.description,
	...listDocuments.description,
	...getStatus.description,
	...updateDocument.description,
	...deleteDocument.description,
	...list.description,
	...listImages.description,
	...updateImageCaption.description,
];
