'use client';

import dynamic from 'next/dynamic';
import { useEffect, useState } from 'react';
import { isUserClientType, type ClientType } from '@/lib/clients/client-types';
import type { RoleOption } from '@/lib/roles/queries';
import { usePaneParam } from '@/components/forms/use-url-pane';
import { whenIdle } from '@/components/ui/when-idle';
import type { ApiOption } from './api-access-picker';

/**
 * The Add Client pane, its form (react-hook-form, zod, the role picker), the discard dialog and the Client
 * Successfully Created window are not part of the list's first view: their code loads when the pane first opens
 * (Add Client, or a ?add=client deep link, which is rendered on the server as before). Once loaded it stays mounted,
 * so the secret window outlives the pane it came from. Authorization Code and Hybrid clients have their own pane.
 */
const AddClientSheet = dynamic(() => import('./add-client-sheet').then((m) => m.AddClientSheet));
const AddUserClientSheet = dynamic(() => import('./add-user-client-sheet').then((m) => m.AddUserClientSheet));

/** Start loading the pane's code before the click lands (pointer over or focus on Add Client). */
export function preloadAddClientSheet(type: string) {
  void (isUserClientType(type) ? import('./add-user-client-sheet') : import('./add-client-sheet'));
}

export function AddClientSheetLoader({
  clientType,
  ...roles
}: {
  clientType: ClientType;
  tenantRoles: RoleOption[];
  communityRoles: RoleOption[];
  /** The tenant's APIs, offered under API Access. */
  apis: ApiOption[];
}) {
  const pane = usePaneParam('add', 'client');
  const [needed, setNeeded] = useState(pane.isOpen);
  // Once the list is idle, fetch and compile the pane's code, so Add Client opens without waiting for it (bench:ui:
  // open Add Client was 223 / 328 ms p50 / p95 when the code loaded on the click). Not part of the first load.
  useEffect(() => whenIdle(() => preloadAddClientSheet(clientType)), [clientType]);
  if (pane.isOpen && !needed) setNeeded(true);
  if (!needed) return null;
  return isUserClientType(clientType) ? (
    <AddUserClientSheet key={clientType} clientType={clientType} {...roles} />
  ) : (
    <AddClientSheet {...roles} />
  );
}
