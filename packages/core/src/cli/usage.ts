import { parseIntegerOption } from '../option-checks.js'
import { getMembershipUsage, type MembershipUsage, remainingCredits, usageQuery } from '../usage.js'
import { parseCommandArgs } from './args.js'
import type { Command, CommandIO } from './command.js'
import { remoteOptionsFrom } from './engine-flags.js'

export const usageUsage = `Usage: rembg-kit usage [options]

Prints the plan, credits and usage of the API key's account (GET /api/membership-usage).

  --year <y> --month <m>      a UTC calendar month (default: the current one)
  --period-start-unix <s>     a billing window by its start, in unix seconds (not with --year/--month)
  --billing-cycles            list the known billing windows instead
  --json                      print the API's JSON answer as it is
  --api-key <key>             the API key (better: set REMBG_API_KEY, which no process list shows)
  --base-url <url>            the API's address (default https://api.rembg.com; also REMBG_BASE_URL)`

const flags = {
  year: { type: 'string' },
  month: { type: 'string' },
  'period-start-unix': { type: 'string' },
  'billing-cycles': { type: 'boolean' },
  json: { type: 'boolean' },
  'api-key': { type: 'string' },
  'base-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

export const usageCommand: Command = async (args, io) => {
  const { values } = parseCommandArgs(args, flags)
  if (values.help) {
    io.stdout.write(`${usageUsage}\n`)
    return 0
  }
  const api = remoteOptionsFrom({ ...values, engine: 'remote' }, io)
  const query = {
    ...(values.year ? { year: parseIntegerOption('year', values.year, { max: 9999 }) } : {}),
    ...(values.month ? { month: parseIntegerOption('month', values.month, { max: 12 }) } : {}),
    ...(values['period-start-unix']
      ? { periodStartUnix: parseIntegerOption('periodStartUnix', values['period-start-unix'], { min: 0 }) }
      : {}),
  }
  if (values['billing-cycles']) {
    const { billingCycles } = await getMembershipUsage({ ...api, listBillingCycles: true })
    if (values.json) io.stdout.write(`${JSON.stringify({ billingCycles }, null, 2)}\n`)
    for (const cycle of values.json ? [] : billingCycles) {
      io.stdout.write(
        `${day(cycle.periodStartUnix)} .. ${day(cycle.periodEndUnix)}  app ${cycle.appUsage}, api ${cycle.apiUsage}\n`,
      )
    }
    return 0
  }
  const usage = await getMembershipUsage({ ...api, ...query, includeBillingCycle: true })
  if (values.json) io.stdout.write(`${JSON.stringify(usage, null, 2)}\n`)
  else printUsage(usage, io, usageQuery(query))
  return 0
}

function printUsage(usage: MembershipUsage, io: CommandIO, query: Record<string, string>): void {
  const line = (label: string, text: string) => io.stdout.write(`${label.padEnd(11)}${text}\n`)
  const cycle = usage.billingCycle
  line('plan', usage.membership)
  line('credits', `${usage.credits} included per period, ${usage.prepaidCredits} prepaid`)
  const which = Object.keys(query).length > 0 ? new URLSearchParams(query).toString() : 'this period'
  line('used', `${usage.api_usage} by API, ${usage.app_usage} in the app (${which})`)
  if (cycle) {
    line(
      'period',
      `${day(cycle.periodStartUnix)} .. ${day(cycle.periodEndUnix)} UTC${cycle.stripeBillingSynced ? '' : ' (calendar month)'}`,
    )
  }
  line(
    'remaining',
    `${remainingCredits(usage)} (${cycle ? cycle.remainingIncludedCredits : '?'} included + ${usage.prepaidCredits} prepaid)`,
  )
}

const day = (unix: number): string => new Date(unix * 1000).toISOString().slice(0, 10)
