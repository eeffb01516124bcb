/**
 * Which provider serves which resource type. Built-in providers register as `builtin`; plugins register
 * with the path of the module that supplied them, which is recorded in state.
 */
import type { ResourceProvider } from './provider.js';

export class ProviderRegistry {
  private readonly providers = new Map<string, { provider: ResourceProvider; source: string }>();

  register(provider: ResourceProvider, source: string): void {
    const existing = this.providers.get(provider.type);
    if (existing) {
      throw new Error(`resource type "${provider.type}" is already provided by ${existing.source}`);
    }
    this.providers.set(provider.type, { provider, source });
  }

  get(type: string): ResourceProvider | undefined {
    return this.providers.get(type)?.provider;
  }

  sourceOf(type: string): string | undefined {
    return this.providers.get(type)?.source;
  }

  types(): string[] {
    return [...this.providers.keys()].sort();
  }
}
