package dev.indexer.redact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretRedactorTest {
    private static List<String> redact(String path, String... lines) {
        SecretRedactor redactor = new SecretRedactor(path);
        return java.util.Arrays.stream(lines).map(redactor::redact).toList();
    }

    private static String one(String path, String line) {
        return redact(path, line).get(0);
    }

    @Test
    void tokenFormatsAreRedactedAndTheRestOfTheLineStays() {
        assertEquals("AWS_ACCESS_KEY_ID = \"[REDACTED:aws-access-key-id]\"",
                one("config.py", "AWS_ACCESS_KEY_ID = \"AKIAIOSFODNN7EXAMPLE\""));
        assertEquals("AWS_SECRET_ACCESS_KEY = \"[REDACTED:aws-secret-access-key]\"",
                one("config.py", "AWS_SECRET_ACCESS_KEY = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\""));
        assertEquals("token = \"[REDACTED:github-token]\"  # deploy bot",
                one("settings.toml", "token = \"ghp_16C7e42F292c6912E7710c838347Ae178B4a\"  # deploy bot"));
        assertEquals("GITHUB=[REDACTED:github-token]",
                one("ci.sh", "GITHUB=github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEF"));
        assertEquals("export GL=[REDACTED:gitlab-token]", one("deploy.sh", "export GL=glpat-xxxxXXXX1234567890ab"));
        assertEquals("slack: [REDACTED:slack-token]",
                one("notes.md", "slack: xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"));
        assertEquals("url = \"[REDACTED:slack-webhook]\"",
                one("hooks.py", "url = \"https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX\""));
        assertEquals("stripe.api_key = \"[REDACTED:stripe-key]\"",
                one("pay.py", "stripe.api_key = \"sk_live_4eC39HqLyjWDarjtT1zdp7dc\""));
        assertEquals("const key = '[REDACTED:google-api-key]';",
                one("maps.js", "const key = 'AIzaSyA-1234567890abcdefghijklmnopqrstu';"));
        assertEquals("Authorization: Bearer [REDACTED:jwt]", one("api.http", "Authorization: Bearer "
                + "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"));
        assertEquals("DATABASE_URL = \"postgres://app:[REDACTED:url-password]@db.internal:5432/shop\"",
                one("settings.py", "DATABASE_URL = \"postgres://app:s3cr3t-Pa55@db.internal:5432/shop\""));
    }

    @Test
    void aPrivateKeyBlockIsRedactedLineForLineSoLineNumbersHold() {
        List<String> lines = redact("notes.txt",
                "Server key below, do not share:",
                "-----BEGIN RSA PRIVATE KEY-----",
                "MIIEowIBAAKCAQEA1c7+9z5Pad7OejecsQ0bu3aumEEIDm0Ry1LiXDkVS8sEG4nX",
                "xg/1obJXuX+Y1hc1JdoEh7n6ntsLZbeBL1yQm4+TDQMqO1VFxVwOmfIJUUHA1d3g",
                "-----END RSA PRIVATE KEY-----",
                "The end.");
        assertEquals(List.of("Server key below, do not share:", "[REDACTED:private-key]", "", "", "", "The end."), lines);
        SecretRedactor openssh = new SecretRedactor("id.txt");
        assertEquals("[REDACTED:private-key]", openssh.redact("-----BEGIN OPENSSH PRIVATE KEY-----"));
        assertEquals("", openssh.redact("b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"));
        assertEquals("", openssh.redact("-----END OPENSSH PRIVATE KEY-----"));
        assertEquals("after", openssh.redact("after"));
        assertEquals(Map.of(SecretKind.PRIVATE_KEY, 1), openssh.found());
    }

    @Test
    void aKeyOnOneLineOrALoneMarkerInCodeHidesOnlyTheKey() {
        assertEquals("{\"private_key\": \"[REDACTED:private-key]\\n\", \"client_email\": \"a@b.iam\"}",
                one("service.json", "{\"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC"
                        + "\\n-----END PRIVATE KEY-----\\n\", \"client_email\": \"a@b.iam\"}"));
        List<String> code = redact("PemParser.java",
                "if (line.equals(\"-----BEGIN PRIVATE KEY-----\")) {",
                "    inKey = true;",
                "}");
        assertEquals(List.of("if (line.equals(\"[REDACTED:private-key]\")) {", "    inKey = true;", "}"), code);
    }

    @Test
    void passwordAssignmentsInConfigurationFilesAreRedacted() {
        assertEquals("db.password=[REDACTED:password]", one("app.properties", "db.password=hunter2hunter2"));
        assertEquals("  password: \"[REDACTED:password]\"", one("config.yaml", "  password: \"Tr0ub4dor&3\""));
        assertEquals("{\"client_secret\": \"[REDACTED:password]\"}",
                one("creds.json", "{\"client_secret\": \"abc123def456ghi789\"}"));
        assertEquals("API_KEY=[REDACTED:password]", one(".env.local", "API_KEY=0123456789abcdef"));
    }

    @Test
    void codeAndPlaceholdersAreLeftAlone() {
        String[][] kept = {
            {"Login.java", "String password = request.getParameter(\"password\");"},
            {"Login.java", "if (token == null || token.isEmpty()) { return; }"},
            {"Keys.java", "private static final String API_KEY = \"api-key-header-name\";"},
            {"auth.py", "password = getpass.getpass(prompt='Password: ')"},
            {"app.yaml", "password: ${DB_PASSWORD}"},
            {"app.yaml", "api_key: <your-api-key>"},
            {"app.properties", "db.password="},
            {"README.md", "clone it with git clone git@github.com:example/repo.git"},
            {"README.md", "see https://user@example.com/path and http://example.com:8080/x"},
            {"Url.java", "// http://host:port/path?query=1 and mailto:someone@example.com"},
            {"Config.java", "static final String AWS_REGION = \"us-east-1\";"},
            {"Gen.java", "byte[] key = new byte[32]; // AKIA is just a word here"},
        };
        for (String[] line : kept) {
            assertEquals(line[1], one(line[0], line[1]), line[0]);
        }
        SecretRedactor redactor = new SecretRedactor("X.java");
        redactor.redact("class X { String password = \"correct horse battery staple\"; }");
        assertTrue(redactor.found().isEmpty(), "a password in code is a name, not a finding: " + redactor.found());
    }

    @Test
    void countsByKind() {
        SecretRedactor redactor = new SecretRedactor("config.py");
        redactor.redact("KEY = 'AKIAIOSFODNN7EXAMPLE'; OTHER = 'AKIAI44QH8DHBEXAMPLE'");
        redactor.redact("nothing here");
        assertEquals(Map.of(SecretKind.AWS_ACCESS_KEY_ID, 2), redactor.found());
        assertFalse(new SecretRedactor("a.txt").found().containsKey(SecretKind.JWT));
    }

    @Test
    void everyFormOfAssignedSecretIsRedactedWhole() {
        String[][] cases = {
            {"app.yml", "password: 'quoted two words Tail1'", "password: '[REDACTED:password]'"},
            {"docker-compose.yml", "      DB_PASSWORD: \"compose spaced Tail2\"", "      DB_PASSWORD: \"[REDACTED:password]\""},
            {"db.properties", "db.password=value with spaces Tail3", "db.password=[REDACTED:password]"},
            {"app.yml", "secret: two words here # rotated monthly", "secret: [REDACTED:password] # rotated monthly"},
            {"tokens.yml", "token: tok3nValue1", "token: [REDACTED:password]"},
            {"api.properties", "api.token=tok3nValue2", "api.token=[REDACTED:password]"},
            {"deploy.sh", "export API_TOKEN=tok3nValue3", "export API_TOKEN=[REDACTED:password]"},
            {"deploy.sh", "TOKEN=tok3nValue4 ./run", "TOKEN=[REDACTED:password] ./run"},
            {"settings.xml", "<token>xmlToken55</token>", "<token>[REDACTED:password]</token>"},
            {"settings.xml", "  <password>xmlPass66</password>", "  <password>[REDACTED:password]</password>"},
            {"web.config", "<add key=\"password\" value=\"cfgPass77\"/>", "<add key=\"password\" value=\"[REDACTED:password]\"/>"},
            {"cache.py", "redis://:redisSecret8@cache:6379", "redis://:[REDACTED:url-password]@cache:6379"},
            {"aws.ini", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "aws_secret_access_key = [REDACTED:aws-secret-access-key]"},
            {"creds.yml", "secret: exampleRealSecret99", "secret: [REDACTED:password]"},
            {"a.py", "k = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD'", "k = '[REDACTED:openai-key]'"},
            {"a.py", "k = 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789'", "k = '[REDACTED:anthropic-key]'"},
            {"a.js", "k = 'SG.abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'", "k = '[REDACTED:sendgrid-key]'"},
            {"ci.sh", "//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789",
                "//registry.npmjs.org/:_authToken=[REDACTED:npm-token]"},
            {"a.cs", "AccountKey=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ==;",
                "AccountKey=[REDACTED:azure-storage-key];"},
            {"README.md", "curl -H \"Authorization: Bearer abcdef0123456789abcdef\" https://x",
                "curl -H \"Authorization: Bearer [REDACTED:authorization-header]\" https://x"},
            {"nb.py", "login(token=\"hf_abcdefghijklmnopqrstuvwxyz01234567\")", "login(token=\"[REDACTED:api-token]\")"},
            {"ship.yml", "SHOPIFY: shpat_0123456789abcdef0123456789abcdef", "SHOPIFY: [REDACTED:api-token]"},
            {"gl.sh", "export T=glptt-abcdefghijklmnopqrstu", "export T=[REDACTED:gitlab-token]"},
        };
        for (String[] c : cases) {
            assertEquals(c[2], one(c[0], c[1]), c[0] + ": " + c[1]);
        }
    }

    @Test
    void aYamlBlockScalarAndAKeyWithoutItsEndAreHiddenLineForLine() {
        assertEquals(List.of("db:", "  password: |", "    [REDACTED:password]", "", "  user: admin"),
                redact("app.yml", "db:", "  password: |", "    first line of it", "    second line", "  user: admin"));
        assertEquals(List.of("[REDACTED:private-key]", "", "", "# next section"), redact("key.txt",
                "-----BEGIN PRIVATE KEY-----", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7", "QC7end",
                "# next section"));
    }

    @Test
    void namesThatMerelyContainTokenAndPlaceholdersAreLeftAlone() {
        String[][] kept = {
            {"model.yml", "max_tokens: 1000"},
            {"model.yml", "tokenizer: bert-base-uncased"},
            {"oauth.properties", "token_endpoint=https://auth.example.com/token"},
            {".config.sh", "TOKEN_URL=https://auth.example.com/token"},
            {"README.md", "curl -H \"Authorization: Bearer $TOKEN\" https://x"},
            {"settings.xml", "<password>${db.password}</password>"},
            {"app.yml", "password: ${DB_PASSWORD}"},
            {"Login.java", "String token = request.getHeader(\"X-Token\");"},
        };
        for (String[] line : kept) {
            assertEquals(line[1], one(line[0], line[1]), line[0]);
        }
    }
}
