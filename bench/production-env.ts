/**
 * Imported first by the bench: graphql-js reads NODE_ENV when it loads and, unless it is
 * `production`, runs development checks (its cross-realm `instanceOf`) on every value it handles,
 * which a deployed service does not. The app's own configuration is passed explicitly.
 */
process.env.NODE_ENV = 'production';
