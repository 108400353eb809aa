"""Engine: dated parameters, columnar tables, vectorised evaluation, trace."""
