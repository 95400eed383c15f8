import * as vscode from 'vscode';
import { CONFIG_SECTION } from '../../ids';

/** One entry of `samlLens.serviceProviders`. */
export interface ServiceProviderSetting {
  readonly entityId: string;
  readonly acsUrls: readonly string[];
  readonly expectedAttributes: readonly string[];
  /** Path to the IdP's metadata file whose signing certificates this SP trusts. */
  readonly idpMetadata?: string;
}

/** The settings the decode feature reads, typed and checked. */
export interface DecodeSettings {
  readonly clockSkewSeconds: number;
  readonly serviceProviders: readonly ServiceProviderSetting[];
  readonly trustedCertificates: readonly string[];
}

export const DEFAULT_CLOCK_SKEW_SECONDS = 180;

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : [];
}

function serviceProviderSetting(value: unknown): ServiceProviderSetting | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.entityId !== 'string' || record.entityId.trim() === '') return undefined;
  return {
    entityId: record.entityId,
    acsUrls: stringList(record.acsUrls),
    expectedAttributes: stringList(record.expectedAttributes),
    idpMetadata:
      typeof record.idpMetadata === 'string' && record.idpMetadata.trim() !== '' ? record.idpMetadata : undefined,
  };
}

export function readDecodeSettings(): DecodeSettings {
  const section = vscode.workspace.getConfiguration(CONFIG_SECTION);
  const skew = section.get<unknown>('validation.clockSkewSeconds');
  const providers = section.get<unknown>('serviceProviders');
  return {
    clockSkewSeconds:
      typeof skew === 'number' && Number.isFinite(skew) && skew >= 0 ? skew : DEFAULT_CLOCK_SKEW_SECONDS,
    serviceProviders: Array.isArray(providers)
      ? providers.map(serviceProviderSetting).filter((p): p is ServiceProviderSetting => p !== undefined)
      : [],
    trustedCertificates: stringList(section.get<unknown>('trustedCertificates')),
  };
}
