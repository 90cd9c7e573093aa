// Loads the lesson collection in course order, for pages and layouts (build time only).
import { getCollection, type CollectionEntry } from "astro:content";
import { sortLessons } from "../lessons/order.ts";

export type LessonEntry = CollectionEntry<"lessons">;

export async function getSortedLessons(): Promise<LessonEntry[]> {
  return sortLessons(await getCollection("lessons"));
}
