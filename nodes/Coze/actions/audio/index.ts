import type { INodeProperties } from 'n8n-workflow';

import * as listVoices from './listVoices.operation';
import * as speechToText from './speechToText.operation';
import * as textToSpeech from './textToSpeech.operation';

export { listVoices, speechToText, textToSpeech };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['audio'] } },
		options: [
			{ name: 'List Voices', value: 'listVoices', action: 'List voices', description: 'Return the voices Text to Speech can use, one item each' },
			{ name: 'Speech to Text', value: 'speechToText', action: 'Transcribe speech to text', description: 'Turn the audio in a binary field into text' },
			{ name: 'Text to Speech', value: 'textToSpeech', action: 'Turn text into speech', description: 'Read a text aloud in a chosen voice, as binary audio data' },
		],
		default: 'textToSpeech',
	},
	...textToSpeech.description,
	...speechToText.description,
	...listVoices.description,
];
