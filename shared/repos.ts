import { z } from 'zod';
import { repoPathSchema } from './runs';

/** A folder path as typed: no longer than a repository path may be (Linux's PATH_MAX). */
const TYPED_PATH_MAX_CHARS = repoPathSchema.maxLength ?? 4096;

/** How many recent repositories the pickers offer: a short list the owner reads at a glance. */
export const RECENT_REPOSITORIES_MAX = 8;
/** How many folders one completion lists: enough to pick from, never a whole disk in one answer. */
export const FOLDER_SUGGESTIONS_MAX = 50;

/** A repository the owner started work in, most recent first, with the verify command last used there. */
export const recentRepositorySchema = z.object({
  /** The repository's top-level folder. */
  path: z.string(),
  usedAt: z.string(),
  verifyCommand: z.string().nullable(),
});
export type RecentRepository = z.infer<typeof recentRepositorySchema>;

/** What a picked folder is as a repository: where its top is, its branches, and what the owner verified it with last. */
export const repositoryInfoSchema = z.object({
  root: z.string(),
  /** The branch checked out in the repository's main folder; null when HEAD is detached. */
  currentBranch: z.string().nullable(),
  /** Local branches, by name. */
  branches: z.array(z.string()),
  verifyCommand: z.string().nullable(),
});
export type RepositoryInfo = z.infer<typeof repositoryInfoSchema>;

/** A path as the owner types it into the path field: absolute or `~/…`, checked again by the core. */
export const typedFolderSchema = z
  .string()
  .max(TYPED_PATH_MAX_CHARS)
  .refine((text) => !text.includes('\0'), { message: 'A path cannot hold a NUL character' });

export const folderSuggestionSchema = z.object({
  /** The folder's full path, as the field takes it. */
  path: z.string(),
  name: z.string(),
  /** Whether it is the top of a git repository (it holds `.git`). */
  repository: z.boolean(),
});
export type FolderSuggestion = z.infer<typeof folderSuggestionSchema>;

export const folderCompletionSchema = z.object({
  /** The folder whose sub-folders are listed. */
  folder: z.string(),
  folders: z.array(folderSuggestionSchema),
  /** More folders matched than one answer lists. */
  truncated: z.boolean(),
});
export type FolderCompletion = z.infer<typeof folderCompletionSchema>;

export const firstRunGuideSchema = z.object({ dismissed: z.boolean() });
export type FirstRunGuide = z.infer<typeof firstRunGuideSchema>;
