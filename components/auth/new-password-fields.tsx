"use client";

import { useState } from "react";
import { TextField } from "./ui";

const MIN_LENGTH = 12;

/**
 * Password and confirmation inputs with the password rule shown as a hint. The server checks the
 * same rule (lib/auth/password.ts); `errors` contains its response per field.
 */
export function NewPasswordFields({ idPrefix, errors }: { idPrefix: string; errors: Record<string, string> }) {
  const [password, setPassword] = useState("");
  const short = password.length > 0 && password.length < MIN_LENGTH;
  return (
    <>
      <TextField
        id={`${idPrefix}-password`}
        name="password"
        type="password"
        label="Password"
        autoComplete="new-password"
        required
        minLength={MIN_LENGTH}
        maxLength={512}
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        hint={short ? `${MIN_LENGTH - password.length} more characters needed.` : `At least ${MIN_LENGTH} characters. A few unrelated words make a strong password that is easy to type.`}
        error={errors.password}
      />
      <TextField
        id={`${idPrefix}-confirm-password`}
        name="confirmPassword"
        type="password"
        label="Confirm password"
        autoComplete="new-password"
        required
        error={errors.confirmPassword}
      />
    </>
  );
}
