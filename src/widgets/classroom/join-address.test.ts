import { describe, expect, it } from "vitest";
import { codeFromSearch, isLoopbackHost, joinAddress, joinUrlWithCode, spacedCode } from "./join-address.ts";

describe("the join address", () => {
  it("is the page's own origin plus /join/", () => {
    expect(joinAddress({ origin: "http://192.168.1.20:4321", hostname: "192.168.1.20" })).toEqual({
      url: "http://192.168.1.20:4321/join/",
      origin: "http://192.168.1.20:4321",
      loopback: false,
    });
    expect(joinUrlWithCode("http://10.0.0.7:4321", "ABC234")).toBe("http://10.0.0.7:4321/join/?code=ABC234");
  });

  it("recognises addresses only this computer can reach", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "app.localhost", "[::1]", "::1"])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ["192.168.1.20", "10.0.0.7", "teacher-laptop.local", "[fe80::1]", "1270.0.0.1"])
      expect(isLoopbackHost(host), host).toBe(false);
    expect(joinAddress({ origin: "http://127.0.0.1:4321", hostname: "127.0.0.1" }).loopback).toBe(true);
  });

  it("takes a well-formed code from the link, normalised, and ignores anything else", () => {
    expect(codeFromSearch("?code=ABC234")).toBe("ABC234");
    expect(codeFromSearch("?code=abc-234")).toBe("ABC234");
    expect(codeFromSearch("?code=ABC10O")).toBe("");
    expect(codeFromSearch("?code=%3Cscript%3E")).toBe("");
    expect(codeFromSearch("")).toBe("");
  });

  it("groups a code in threes for reading aloud", () => {
    expect(spacedCode("ABC234")).toBe("ABC 234");
    expect(spacedCode("AB")).toBe("AB");
  });
});
