// The lesson collection: every content/lessons/NN-slug.mdx file, validated against the schema.
import { defineCollection } from "astro:content";
import { glob } from "astro/loaders";
import { lessonSchema } from "./lessons/schema.ts";

const lessons = defineCollection({
  loader: glob({ pattern: "[0-9][0-9]-*.mdx", base: "./content/lessons" }),
  schema: lessonSchema,
});

export const collections = { lessons };
