/** How the demo and the e2e judge one `n8n execute`: from the stored execution, checked against the exit code. */
import { lastId, settleExecution } from '../../scripts/lib/executions';

const data = { resultData: { runData: {} } };
const row = (id: string, status: string) => ({ id, status, mode: 'cli', data });

describe('settleExecution', () => {
	it('takes the stored run when n8n stored one execution and its exit code agrees', () => {
		expect(settleExecution([row('7', 'success')], 0, '')).toEqual({ id: '7', status: 'success', data });
		expect(settleExecution([row('8', 'error')], 1, '').status).toBe('error');
	});

	it('never calls a run a success or a failure when the exit code and the stored status disagree', () => {
		expect(() => settleExecution([row('7', 'success')], 1, 'Registered runner')).toThrow(/exited with 1 but stored execution 7 as "success"/);
		expect(() => settleExecution([row('7', 'error')], 0, '')).toThrow(/exited with 0 but stored execution 7 as "error"/);
		expect(() => settleExecution([row('7', 'crashed')], 0, '')).toThrow(/as "crashed"/);
	});

	it('refuses to guess when n8n stored no execution, or more than one', () => {
		expect(() => settleExecution([], 0, 'out')).toThrow(/stored 0 executions/);
		expect(() => settleExecution([row('1', 'success'), row('2', 'success')], 0, '')).toThrow(/stored 2 executions/);
		expect(() => settleExecution([{ ...row('3', 'success'), data: null }], 0, '')).toThrow(/without its run data/);
	});

	it('remembers the newest execution seen', () => {
		expect(lastId([row('9', 'success'), row('12', 'error')], 3)).toBe(12);
		expect(lastId([], 3)).toBe(3);
	});
});
