package org.example.shelf;

/** Checks ISBN-13 numbers. */
public final class IsbnValidator {
    private IsbnValidator() {}

    /**
     * Returns true if the text is 13 digits (hyphens allowed) whose weighted sum, with weights
     * alternating 1 and 3, is a multiple of ten.
     */
    public static boolean isValidIsbn13(String text) {
        String digits = text.replace("-", "");
        if (digits.length() != 13 || !digits.chars().allMatch(Character::isDigit)) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 13; i++) {
            int digit = digits.charAt(i) - '0';
            sum += (i % 2 == 0) ? digit : digit * 3;
        }
        return sum % 10 == 0;
    }
}
